import { PERMISSIONS, roleHolds, type Permission, type Role } from '../../../../main/platform/ipc/roles.std';

export const ROLE_SUMMARIES: Record<Role, string> = {
  staff: 'You handle day-to-day back-office work and see only the personal data your tasks need.',
  manager: 'You oversee back-office work; your access follows the same need-to-know rule as your team.',
  it_admin: 'You administer accounts and the console’s security settings. Personal data stays out of reach.',
  auditor: 'You review, read-only and independently, what happened in the console and whether the record is intact.',
};

const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  'accounts.read': 'See who has an account and which role they hold',
  'accounts.manage': 'Create accounts, change roles, disable accounts, clear lockouts and reset passwords',
  'audit.read': 'Read the audit log of sign-ins and changes',
  'audit.verify': 'Check that the audit log has not been altered',
  'settings.manage': 'Change console security settings such as the idle lock',
  'workstation.manage': 'Connect this workstation to the office database and enrol other workstations with the office key',
  'backups.manage': 'Back up this workstation’s database (encrypted), schedule backups and restore one, with your password',
  'jobs.monitor': 'Follow every long-running job of the office (imports, releases, exports, deletion batches), not only your own',
  'customers.read': 'Find and open customer records for a stated purpose',
  'customers.write': 'Create customers, change marketing preferences, close or reopen records',
  'customers.correct': 'Correct customer names, contact details, addresses and dates of birth',
  'customers.legal': 'Open a customer record for a legal request',
  'customers.import': 'Import an existing customer list',
  'breakglass.use': 'Open a record outside the usual purposes, with a written justification that is reviewed',
  'breakglass.review': 'Review out-of-purpose (break-glass) openings',
  'orders.write': 'Place orders and re-send licence keys',
  'cards.first6': 'See the issuer digits of masked card numbers',
  'cards.reveal': 'Reveal a full card number, with a written reason and your password',
  'minors.report': 'Read the minors report: records found to be under 18, from quarantine to deletion, without personal data',
  'minors.release': 'Release a record from the minors quarantine when the report proves wrong, with your password',
  'approvals.decide': 'Approve or deny other people’s requests that need a second person (four eyes)',
  'requests.read': 'Follow customers’ access, correction and deletion requests and their due dates',
  'requests.file': 'Log and work customers’ access, correction and deletion requests',
  'requests.decide': 'Extend a customer request’s deadline once, or refuse it, with the reason the customer is told',
  'requests.export': 'Export everything held about a customer for an access request, with your password',
  'erasure.request': 'Ask for a customer’s records to be deleted, and follow your requests',
  'erasure.decide': 'Approve or deny deletion requests and retention batches',
  'erasure.hold': 'Place and release legal holds that keep a customer from being deleted',
  'erasure.retention': 'Review closed customers past the retention period and propose them for deletion',
  'erasure.register': 'See the register of deleted customers (tombstones that identify no one)',
  'policy.read': 'Read every version of the privacy policy, its change notices, and export the latest',
  'policy.draft': 'Draft the next version of the privacy policy and ask a manager to publish it',
  'policy.publish': 'Publish or archive privacy policy versions, including material changes with their notice period',
  'announcements.read': 'See policy-change announcements and who they reach',
  'announcements.manage': 'Prepare announcements, export their mailing lists and import the mail system’s results',
  'announcements.acknowledge': 'Record that a customer acknowledged a policy-change announcement',
  'audiences.export': 'Count and export marketing audiences of consenting customers',
  'disclosures.read': 'See disclosure recipients, your own disclosure requests and what was disclosed about a customer',
  'disclosures.request': 'Ask for customer data to be disclosed to a shipping company, a consented third party or an authority',
  'disclosures.approve': 'Approve, deny and release disclosures of customer data, and correct the disclosure register',
  'disclosures.recipients': 'Add and edit disclosure recipients and the fields each may receive',
  'disclosures.register': 'Read and export the disclosure register',
  'keys.manage': 'Rotate the encryption keys, make recovery kits and name their custodians',
};

/** Mirrors the permission table main enforces, so what people read here is what actually applies. */
export function capabilitiesOf(role: Role): { allowed: string[]; refused: string[] } {
  const permissions = Object.keys(PERMISSIONS) as Permission[];
  return {
    allowed: permissions.filter((p) => roleHolds(role, p)).map((p) => PERMISSION_DESCRIPTIONS[p]),
    refused: permissions.filter((p) => !roleHolds(role, p)).map((p) => PERMISSION_DESCRIPTIONS[p]),
  };
}
