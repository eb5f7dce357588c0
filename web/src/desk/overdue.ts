import type { components } from '../api/schema';

export type OverdueItem = components['schemas']['OverdueItemDto'];
export type OverduePage = components['schemas']['OverduePageDto'];

/** How late, in three steps, each with its own words and icon besides its colour. */
export type Lateness = 'late' | 'veryLate' | 'critical';

export const LATENESS_ICONS: Record<Lateness, string> = {
  late: 'warning-o',
  veryLate: 'warning',
  critical: 'fire',
};

/** Under a day late; up to three days; more. */
export function latenessOf(hoursLate: number): Lateness {
  if (hoursLate >= 72) return 'critical';
  return hoursLate >= 24 ? 'veryLate' : 'late';
}

/** The board refreshes itself this often while it is on screen. */
export const BOARD_REFRESH_MS = 60_000;
