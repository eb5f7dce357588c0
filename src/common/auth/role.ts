export const ROLES = [
  'resident',
  'secretary',
  'dispatcher',
  'assignee',
  'supervisor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: decoded from the bearer token, checked against the user row on every call. */
export interface Actor {
  id: string;
  username: string;
  role: Role;
  unitId: string;
  unitPath: string;
  /** What a resident's own submission records of them. */
  displayName: string;
  phone: string | null;
}
