export const ROLES = ['staff', 'manager', 'it_admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  staff: 'Back-office staff',
  manager: 'Manager',
  it_admin: 'IT administrator',
  auditor: 'Auditor',
};

/**
 * Every permission a channel can demand, and the roles that hold it. A role holds nothing that is not
 * listed here (deny by default). Feature contracts name these, never roles directly.
 */
export const PERMISSIONS = {
  'accounts.manage': ['it_admin'],
  'accounts.read': ['it_admin', 'auditor'],
  'audit.read': ['it_admin', 'auditor'],
  'audit.verify': ['it_admin', 'auditor'],
  'settings.manage': ['it_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function roleHolds(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
