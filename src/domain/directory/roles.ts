/**
 * Roles a person holds in the directory. The order is canonical: roles are stored in this order so
 * that reordering them in the YAML file is not a change.
 */
export const ROLES = ["admin", "leader", "approver", "member"] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do, for help texts and the documentation. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: "管理员",
  leader: "领导",
  approver: "审批人",
  member: "成员",
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Known roles only, without duplicates, in canonical order. Unknown strings in the database are ignored. */
export function normalizeRoles(roles: readonly string[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

/** admin implies every role: an admin can do whatever a leader, approver or member can. */
export function hasRole(person: { readonly roles: readonly string[] }, role: Role): boolean {
  return person.roles.includes("admin") || person.roles.includes(role);
}
