// Who is acting: every service that records or reveals something takes one.
export const ROLES = ['clerk', 'supervisor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  /** Counter PC the action came from (host name or configured station seat). */
  workstation: string;
}
