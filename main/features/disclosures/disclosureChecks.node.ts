import { AppError } from '../../platform/ipc/errors.std.ts';
import type { Queryable } from '../../platform/store/database.node.ts';
import { INSERT_CHUNK } from '../../platform/store/queries.node.ts';
import { absentOrErasedAmong, hasConsent, quarantinedAmong } from '../customers/customers.port.node.ts';
import {
  DISCLOSABLE_FIELD_LABELS,
  DISCLOSURE_KINDS,
  fieldsRefused,
  MAX_RECIPIENT_FIELDS,
  RECIPIENT_KIND_LABELS,
  RECIPIENTS_FOR_KIND,
  type DisclosableField,
  type DisclosureKind,
} from './disclosureRules.std.ts';
import type { RecipientVersionFacts } from './recipients.node.ts';

/** When a rule is checked: the same rules at each stage, so a change in between is caught. */
export type CheckStage = 'request' | 'approval' | 'release';
const AT: Record<CheckStage, string> = { request: 'Nothing was filed', approval: 'It was not approved', release: 'Nothing was released' };

/**
 * The fields and the recipient: the kind must go to this kind of recipient, every field must be in the
 * recipient's allowed set (of the version the request names, and of the current one at release) and within
 * the kind's maximum. Stored rows are checked too, so a field written into the database by hand is refused.
 */
export function assertFieldsAndRecipient(
  stage: CheckStage,
  kind: string,
  fields: readonly string[],
  recipients: readonly RecipientVersionFacts[],
): asserts fields is DisclosableField[] {
  if (!(DISCLOSURE_KINDS as readonly string[]).includes(kind)) throw new AppError('INVALID_INPUT', `kind: not a kind of disclosure this app makes. ${AT[stage]}.`);
  for (const recipient of recipients) {
    if (!RECIPIENTS_FOR_KIND[kind as DisclosureKind].includes(recipient.kind)) {
      throw new AppError('INVALID_INPUT', `recipientId: a ${RECIPIENT_KIND_LABELS[recipient.kind].toLowerCase()} cannot receive this kind of disclosure. ${AT[stage]}.`);
    }
    if (!recipient.active) throw new AppError('CONFLICT', `recipientId: this recipient is no longer active. ${AT[stage]}.`);
    const refused = fieldsRefused(fields, recipient.allowedFields.filter((f) => MAX_RECIPIENT_FIELDS[recipient.kind].includes(f)));
    if (refused.length) {
      const names = refused.map((f) => DISCLOSABLE_FIELD_LABELS[f as DisclosableField] ?? f).join(', ');
      throw new AppError('INVALID_INPUT', `fields: not in this recipient's allowed set: ${names}. ${AT[stage]}.`);
    }
  }
}

/**
 * The customers: none deleted or erased, none quarantined (a minor's record), and for a consented-third-party
 * disclosure every one has consented to third-party sharing now. Messages give counts, never who.
 */
export async function assertCustomersDisclosable(q: Queryable, stage: CheckStage, kind: DisclosureKind, customerIds: readonly string[]): Promise<void> {
  const gone = await absentOrErasedAmong(q, customerIds);
  if (gone.size) throw new AppError('CONFLICT', `${gone.size} of the customers no longer exist or were erased. ${AT[stage]}.`);
  const quarantined = await quarantinedAmong(q, customerIds);
  if (quarantined.size) throw new AppError('CONFLICT', `${quarantined.size} of the customers are quarantined (a minor's record) and can never be disclosed. ${AT[stage]}.`);
  if (kind === 'consented_third_party') {
    let missing = 0;
    for (let i = 0; i < customerIds.length; i += INSERT_CHUNK) {
      for (const id of customerIds.slice(i, i + INSERT_CHUNK)) if (!(await hasConsent(q, id, 'thirdPartySharing'))) missing += 1;
    }
    if (missing) throw new AppError('CONFLICT', `${missing} of the customers have not consented to sharing with third parties (or withdrew it). ${AT[stage]}.`);
  }
}
