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
  /** This workstation's database connection (password in the keychain) and enrolment packages carrying the office key. */
  'workstation.manage': ['it_admin'],
  // Customer records (issue #3). IT administrators and auditors hold no customer-PII permission at all.
  /** Search, list, and open a record for order processing, customer support or a deletion request. */
  'customers.read': ['staff', 'manager'],
  /** Create customers, change marketing preferences, close / reopen a record. */
  'customers.write': ['staff', 'manager'],
  /** Correct name, contact, address or date of birth; open with purpose `correction`; read correction history. */
  'customers.correct': ['staff', 'manager'],
  /** Open a record for a legal request (court order, legal process): the broadest need-to-know view. */
  'customers.legal': ['manager'],
  /** Bulk CSV import of an existing customer list. */
  'customers.import': ['manager'],
  /** Open a record outside the listed purposes with a written justification; flagged for manager review. */
  'breakglass.use': ['staff', 'manager'],
  /** Review break-glass openings: mark justified or escalated. */
  'breakglass.review': ['manager'],
  /** Place orders from the order form; re-send licence keys. */
  'orders.write': ['staff', 'manager'],
  /** See the first six digits (issuer) as well as the last four of a masked card. */
  'cards.first6': ['manager'],
  /** Reveal a full card number, with a written reason and a fresh password re-entry. */
  'cards.reveal': ['manager'],
  // Approvals (issue #6). Each kind also names the permission its decider must hold (erasure, role changes…).
  /** Decide (approve or deny) other people's approval requests, for kinds the role's own permissions cover. */
  'approvals.decide': ['manager', 'it_admin'],
  // Disclosures (issue #9): staff ask, managers approve and release, auditors read the register.
  /** See recipients, one's own disclosure requests, and what was disclosed about a customer. */
  'disclosures.read': ['staff', 'manager'],
  /** File a disclosure request. */
  'disclosures.request': ['staff', 'manager'],
  /** Approve or deny disclosure requests (with approvals.decide), release approved ones, correct the register. */
  'disclosures.approve': ['manager'],
  /** Create and edit recipients; widening a recipient's fields needs a recorded reason. */
  'disclosures.recipients': ['manager'],
  /** Read and export the disclosure register. */
  'disclosures.register': ['manager', 'auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function roleHolds(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
