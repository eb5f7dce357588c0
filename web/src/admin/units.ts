import type { Unit } from '../api/client';

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
