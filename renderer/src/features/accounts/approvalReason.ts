import type { Role } from '../../../../main/platform/ipc/roles.std';
import { REASON_MAX, REASON_MIN } from '../../../../main/features/approvals/approvals.contract.std';

/** Roles whose grant (or a reset of whose password) waits for a second IT administrator when there is one. */
export const GOVERNED_ROLES: ReadonlySet<Role> = new Set<Role>(['manager', 'it_admin']);

export const APPROVAL_REASON_LABEL = 'Why is this needed?';
export const APPROVAL_REASON_HELP = 'Another IT administrator must approve this. They see your reason; the person does not.';

/** The reason a governed change is filed with: the approvals' own limits, checked again in main. */
export function approvalReasonError(value: string): string | null {
  const length = value.trim().length;
  if (length < REASON_MIN) return `Write at least ${REASON_MIN} characters (${length} so far)`;
  return length > REASON_MAX ? `At most ${REASON_MAX} characters` : null;
}

export { REASON_MAX };
