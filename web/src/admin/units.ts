import type { Unit } from '../api/client';
import type { components } from '../api/schema';
import type { User } from '../session';

/** An area as the API takes it: a centre in the system it was read in, and a radius in metres. */
export type AreaBody = components['schemas']['AreaDto'];

export interface UnitRow {
  unit: Unit;
  depth: number;
}

/** Units as a tree read top-down: each unit followed by the units under it, by name. */
export function unitTree(units: readonly Unit[]): UnitRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, Unit[]>();
  for (const u of units) {
    // A unit whose parent the caller cannot see starts a tree of its own.
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const rows: UnitRow[] = [];
  const walk = (parent: string | null, depth: number): void => {
    const list = [...(children.get(parent) ?? [])].sort((a, b) => a.code.localeCompare(b.code));
    for (const unit of list) {
      rows.push({ unit, depth });
      walk(unit.id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

/** The type a unit under a parent of this type may have (the API's rule). */
export const CHILD_TYPES: Record<Unit['type'], Unit['type'][]> = {
  county: ['town'],
  town: ['branch', 'department'],
  branch: [],
  department: [],
};

/** The units above a unit, nearest first (its parent, then the parent's parent…). */
export function ancestorsOf(unit: Unit, units: readonly Unit[]): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const chain: Unit[] = [];
  let next = unit.parentId ? byId.get(unit.parentId) : undefined;
  while (next && !chain.includes(next)) {
    chain.push(next);
    next = next.parentId ? byId.get(next.parentId) : undefined;
  }
  return chain;
}

/**
 * Who may be a branch's contact leader (the API's rule, units.service.ts): an active user of the
 * town or the county above it. Everyone else is refused with UNIT.INVALID_CONTACT_LEADER.
 */
export function leaderCandidates(
  branch: Unit,
  units: readonly Unit[],
  users: readonly User[],
): User[] {
  const above = new Set(
    ancestorsOf(branch, units)
      .filter((u) => u.type === 'town' || u.type === 'county')
      .map((u) => u.id),
  );
  return users
    .filter((u) => u.active && above.has(u.unitId))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'));
}

export type CoordinateSystem = AreaBody['coordinateSystem'];
export const COORDINATE_SYSTEMS: readonly CoordinateSystem[] = ['gcj02', 'wgs84'];

/** A town's area as typed: text in each box until it is checked. */
export interface AreaDraft {
  latitude: string;
  longitude: string;
  radiusM: string;
  coordinateSystem: CoordinateSystem;
}
export type AreaField = 'latitude' | 'longitude' | 'radiusM';
export type AreaProblem = 'required' | 'notNumber' | 'notWhole' | 'range';

/** The API's bounds (common/geo/point.dto.ts). */
export const AREA_BOUNDS: Record<AreaField, { min: number; max: number }> = {
  latitude: { min: -90, max: 90 },
  longitude: { min: -180, max: 180 },
  radiusM: { min: 100, max: 200_000 },
};

const DECIMAL = /^[-+]?\d+(\.\d+)?$/;

/** What is wrong with each box of an area, if anything; an empty object when it can be sent. */
export function areaProblems(draft: AreaDraft): Partial<Record<AreaField, AreaProblem>> {
  const problems: Partial<Record<AreaField, AreaProblem>> = {};
  for (const field of ['latitude', 'longitude', 'radiusM'] as const) {
    const text = draft[field].trim();
    const n = Number(text);
    if (text === '') problems[field] = 'required';
    else if (!DECIMAL.test(text)) problems[field] = 'notNumber';
    else if (field === 'radiusM' && !Number.isInteger(n)) problems[field] = 'notWhole';
    else if (n < AREA_BOUNDS[field].min || n > AREA_BOUNDS[field].max) problems[field] = 'range';
  }
  return problems;
}

/** The area as the API takes it, or null while any box is wrong. */
export function areaBody(draft: AreaDraft): AreaBody | null {
  if (Object.keys(areaProblems(draft)).length > 0) return null;
  return {
    latitude: Number(draft.latitude.trim()),
    longitude: Number(draft.longitude.trim()),
    radiusM: Number(draft.radiusM.trim()),
    coordinateSystem: draft.coordinateSystem,
  };
}

/** Degrees to six decimals (about 0.1 m), as the screen shows a stored centre. */
export const degrees = (n: number): string => String(Number(n.toFixed(6)));

/**
 * A stored area to edit: the API keeps and answers the centre in WGS-84, so that is what the
 * boxes say. No area: empty boxes, ready for a Chinese map's coordinates.
 */
export function areaDraft(area: Unit['area']): AreaDraft {
  if (!area) return { latitude: '', longitude: '', radiusM: '', coordinateSystem: 'gcj02' };
  return {
    latitude: degrees(area.latitude),
    longitude: degrees(area.longitude),
    radiusM: String(area.radiusM),
    coordinateSystem: 'wgs84',
  };
}

export const sameArea = (a: AreaDraft, b: AreaDraft): boolean =>
  a.coordinateSystem === b.coordinateSystem &&
  (['latitude', 'longitude', 'radiusM'] as const).every((f) => a[f].trim() === b[f].trim());
