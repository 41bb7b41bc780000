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
  /** Encrypted backups of this workstation's database: back up now, the schedule, the list, and restore (re-auth). */
  'backups.manage': ['it_admin'],
  /** See every job of the office (kind, state, progress; never what it works on), not only one's own (issue #13). */
  'jobs.monitor': ['it_admin'],
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
  // Minors (issue #8). Reporting a record as a minor's needs `customers.correct`.
  /** The minors report: cases of records found to be minors', pending and completed, without PII. */
  'minors.report': ['manager', 'auditor'],
  /** Lift a quarantine found to be wrong (age verified, reported in error), with a password re-entry. */
  'minors.release': ['manager'],
  // Approvals (issue #6). Each kind also names the permission its decider must hold (erasure, role changes…).
  /** Decide (approve or deny) other people's approval requests, for kinds the role's own permissions cover. */
  'approvals.decide': ['manager', 'it_admin'],
  // Data-subject requests (issue #8). Auditors follow the tracker (ids, types, dates) without customer PII.
  /** See the request tracker, its due dates, and the recipients to tell after a correction or deletion. */
  'requests.read': ['staff', 'manager', 'auditor'],
  /** Log a request as received, work it, complete it. */
  'requests.file': ['staff', 'manager'],
  /** Extend a request's deadline (once) or refuse it: decisions the customer is told about. */
  'requests.decide': ['manager'],
  /** Export everything held about a customer to a file (an access request), with a fresh password re-entry. */
  'requests.export': ['manager'],
  // Deletions, legal holds and retention (issue #8).
  /** File a deletion request on a customer record and follow one's own requests. */
  'erasure.request': ['staff', 'manager'],
  /** Decide deletion requests and retention batches (with `approvals.decide`), and see every deletion request. */
  'erasure.decide': ['manager'],
  /** Place and release legal holds; see the holds list. */
  'erasure.hold': ['manager'],
  /** Review closed customers past the retention period and propose a batch for deletion. */
  'erasure.retention': ['manager'],
  /** The tombstone register: what remains of deleted customers (opaque ids, dates, reason, who). */
  'erasure.register': ['manager', 'auditor'],
  // Policy versions and change announcements (issue #10).
  /** Read the policy's versions, their notices and exports: the policy is public, every role may read it. */
  'policy.read': ['staff', 'manager', 'it_admin', 'auditor'],
  /** Draft the next version and ask a manager to publish it. */
  'policy.draft': ['staff', 'manager'],
  /** Publish (directly, or by approving someone else's request) and archive versions. */
  'policy.publish': ['manager'],
  /** See announcements of policy changes and who they reach (masked names). */
  'announcements.read': ['staff', 'manager'],
  /** Prepare an announcement, export its mailing list (addresses), import the mail system's results. */
  'announcements.manage': ['manager'],
  /** Record that a customer acknowledged an announcement (phone, letter, counter). */
  'announcements.acknowledge': ['staff', 'manager'],
  /** Count and export a marketing audience (addresses of consenting customers). */
  'audiences.export': ['manager'],
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
  // Keys (issue #11): rotation of the KEK and the domain keys, recovery kits and their custodians.
  /** See key versions and rotations, rotate keys, make recovery kits and name their custodians. */
  'keys.manage': ['it_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function roleHolds(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
