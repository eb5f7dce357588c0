/**
 * Long resolutions on a plan of milestones (立项, 初步设计评审, … 竣工): the owner proposes the
 * milestones with their due times, a supervisor approves the plan as an extension is approved, and
 * the milestones are then done one after the other. Pure data and pure functions, like the machine.
 */

export const MAX_MILESTONES = 12;
export const MAX_MILESTONE_NAME_LENGTH = 100;

export interface Milestone {
  name: string;
  /** A timestamp with an offset (a date on the wire becomes the end of that working day). */
  due: string;
}

/** A plan the owner proposed, waiting for a supervisor's decision. */
export interface PlanProposal {
  milestones: Milestone[];
  reason: string;
}

/** The approved plan: its milestones in order, and how many of them are done. */
export interface MilestonePlan {
  milestones: Milestone[];
  done: number;
}

/** An approved plan with a milestone still to do. */
export function isRunning(plan: MilestonePlan | null | undefined): plan is MilestonePlan {
  return !!plan && plan.done < plan.milestones.length;
}

/** The next milestone to be done (0-based index and the milestone), or null when none is left. */
export function currentMilestone(
  plan: MilestonePlan | null | undefined,
): { index: number; milestone: Milestone } | null {
  if (!isRunning(plan)) return null;
  return { index: plan.done, milestone: plan.milestones[plan.done] };
}

/**
 * The milestone whose own clock runs now, or null. The last milestone has no clock of its own:
 * the resolve clock is due at the plan's end, so finishing the last milestone late is resolving
 * late, and one lateness never escalates twice.
 */
export function clockedMilestone(
  plan: MilestonePlan | null | undefined,
): { index: number; milestone: Milestone } | null {
  const current = currentMilestone(plan);
  return current && plan && current.index < plan.milestones.length - 1 ? current : null;
}

/** When the plan ends: its last milestone's due time. */
export function planEnd(plan: { milestones: readonly Milestone[] } | null | undefined) {
  return plan && plan.milestones.length > 0
    ? plan.milestones[plan.milestones.length - 1].due
    : null;
}
