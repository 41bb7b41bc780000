import type { Queryable } from '../../platform/store/database.node.ts';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS } from '../disclosures/disclosures.contract.std.ts';
import type { CustomerDisclosures } from '../disclosures/disclosures.port.node.ts';
import { readableTime, type ExportSection, type ExportSectionProvider } from './accessExport.node.ts';
import type { RecipientSource } from './recipients.node.ts';

export const NOTHING_DISCLOSED = 'The disclosure register shows nothing released about this customer.';

const fieldNames = (fields: readonly (keyof typeof DISCLOSABLE_FIELD_LABELS)[]) => fields.map((f) => DISCLOSABLE_FIELD_LABELS[f]);

/**
 * The disclosure register as the access export's "Disclosures" section (GDPR art. 15(1)(c): to whom, what, when
 * and why) and as the recipients to tell after a correction or deletion (art. 19).
 */
export function disclosureRegisterSources(register: CustomerDisclosures): { section: ExportSectionProvider; recipients: RecipientSource } {
  return {
    section: {
      async section(q: Queryable, customerId: string): Promise<ExportSection> {
        const disclosures = await register.disclosuresAbout(q, customerId);
        return {
          id: 'disclosures',
          title: 'Disclosures to third parties',
          note: disclosures.length ? null : NOTHING_DISCLOSED,
          data: disclosures,
          blocks: disclosures.map((d) => ({
            heading: `${readableTime(d.releasedAt)}: ${d.recipientName}`,
            rows: [
              ['Why', DISCLOSURE_KIND_LABELS[d.kind]],
              ['Purpose', d.purpose],
              ['What', fieldNames(d.fields).join(', ')],
              ...(d.legalReference ? [['Legal reference', d.legalReference] as const] : []),
              ...(d.corrected ? [['Register entry', 'Corrected later (see the register)'] as const] : []),
            ],
          })),
        };
      },
    },
    recipients: {
      async recipientsOf(q: Queryable, customerId: string) {
        const found = await register.recipientsToTell(q, customerId);
        return found.map((r) => ({ recipient: r.recipientName, categories: fieldNames(r.fields), disclosedAt: r.lastReleasedAt }));
      },
    },
  };
}
