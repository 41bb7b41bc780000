import type { Queryable } from '../../platform/store/database.node.ts';
import { staffNameResolver, type StaffDirectory } from '../accounts/accounts.port.node.ts';
import { recordAccessEvents, type RecordAccessEvent } from '../audit/audit.port.node.ts';
import { CONSENT_PURPOSE_LABELS, PURPOSE_LABELS, type RecordPurpose, type SubjectAccessData, type SubjectAccessSource } from '../customers/customers.port.node.ts';

/** A group of label/value lines in the readable PDF (one order, one consent change, one viewing). */
export interface ExportBlock {
  heading: string | null;
  rows: readonly (readonly [label: string, value: string])[];
}

/**
 * One part of an access export: its data as written to the JSON file, and the same data as readable blocks for the
 * PDF. `note` says what an empty section means ("nothing released about this customer").
 */
export interface ExportSection {
  id: string;
  title: string;
  note: string | null;
  data: unknown;
  blocks: readonly ExportBlock[];
}

/**
 * A source of one export section that lives outside the customer records (the disclosure register): the export
 * asks it for the section about one customer, inside the export's transaction.
 */
export interface ExportSectionProvider {
  section(q: Queryable, customerId: string): Promise<ExportSection>;
}

export interface AccessExport {
  format: 'itpc-access-export/1';
  exportId: string;
  generatedAt: string;
  customerId: string;
  sections: readonly ExportSection[];
}


const orNone = (value: string | null | undefined) => (value === null || value === undefined || value === '' ? '—' : value);
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

// Words for the readable PDF; the JSON keeps the stored codes and ISO times.
const BRANDS: Record<string, string> = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', discover: 'Discover', jcb: 'JCB', diners: 'Diners Club', unionpay: 'UnionPay' };
const brand = (code: string) => BRANDS[code] ?? 'Card';
/** "web_form" → "web form", "shippingAddress.postalCode" → "shipping address: postal code". */
const words = (code: string) => code.replace(/\./g, ': ').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`);
const consentPurpose = (code: string) => (CONSENT_PURPOSE_LABELS as Record<string, string>)[code] ?? words(code);
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
/** An ISO time as people read it, in UTC (said so): "25 November 2026 at 15:13 UTC". */
export function readableTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${when.format(date)} UTC`;
}

function purposeLabel(event: RecordAccessEvent): string {
  if (event.action === 'card.reveal') return 'Full card number shown (card reveal)';
  if (event.action === 'subject_request.access_exported') return 'Copy of the data exported (access request)';
  return event.purpose && event.purpose in PURPOSE_LABELS ? PURPOSE_LABELS[event.purpose as RecordPurpose] : orNone(event.purpose);
}

/**
 * Assembles everything held about one customer: profile, orders (masked card), consents and their history,
 * corrections, who viewed the record and why, and the disclosures section from its provider. Reads only; the
 * caller has checked permission and quarantine, and runs it in one transaction so the parts agree.
 */
export class AccessExportAssembler {
  constructor(
    private readonly subjects: SubjectAccessSource,
    private readonly staff: StaffDirectory,
    private readonly disclosures: ExportSectionProvider,
  ) {}

  async assemble(q: Queryable, customerId: string, meta: { exportId: string; generatedAt: string }): Promise<AccessExport> {
    const data = await this.subjects.read(q, customerId);
    const accesses = await recordAccessEvents(q, customerId);
    const nameOf = await staffNameResolver(this.staff, q);
    return {
      format: 'itpc-access-export/1',
      exportId: meta.exportId,
      generatedAt: meta.generatedAt,
      customerId,
      sections: [
        profileSection(data),
        ordersSection(data),
        consentsSection(data),
        correctionsSection(data),
        accessSection(accesses, nameOf),
        await this.disclosures.section(q, customerId),
      ],
    };
  }
}

/** The JSON file: each section's data under its id, with the notes that explain empty sections. */
export function exportJson(exported: AccessExport): string {
  const body = {
    format: exported.format,
    exportId: exported.exportId,
    generatedAt: exported.generatedAt,
    customerId: exported.customerId,
    ...Object.fromEntries(exported.sections.map((s) => [s.id, s.data])),
    notes: Object.fromEntries(exported.sections.filter((s) => s.note).map((s) => [s.id, s.note])),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function profileSection({ profile: p }: SubjectAccessData): ExportSection {
  const a = p.shippingAddress;
  return {
    id: 'profile',
    title: 'Your details',
    note: null,
    data: p,
    blocks: [
      {
        heading: null,
        rows: [
          ['Name', `${p.givenName} ${p.familyName}`],
          ['Organisation', orNone(p.organisationName)],
          ['Date of birth', orNone(p.dateOfBirth)],
          ['Email', p.email],
          ['Phone', orNone(p.phone)],
          ['Shipping address', [a.street, a.city, a.region, a.postalCode, a.country].filter(Boolean).join(', ')],
          ['Record status', words(p.status)],
          ['Customer since', readableTime(p.createdAt)],
          ['Last changed', readableTime(p.updatedAt)],
          ['Privacy policy version', p.policyVersion],
        ],
      },
    ],
  };
}

function ordersSection({ orders }: SubjectAccessData): ExportSection {
  return {
    id: 'orders',
    title: 'Orders',
    note: orders.length ? 'Card numbers are shown masked: only the last four digits.' : 'No orders.',
    data: orders,
    blocks: orders.map((order) => ({
      heading: `Order of ${readableTime(order.createdAt)}`,
      rows: [
        ...order.items.map((item, i) => [`Item ${i + 1}`, `${item.quantity} × ${item.name} (${item.sku})${item.licenceKey ? `, licence ${item.licenceKey}` : ''}`] as const),
        ['Card', `${brand(order.card.brand)} ending ${order.card.last4}`],
        ...(order.billing
          ? ([
              ['Billing name', order.billing.name],
              ['Billing address', [order.billing.address.street, order.billing.address.city, order.billing.address.region, order.billing.address.postalCode, order.billing.address.country].filter(Boolean).join(', ')],
            ] as const)
          : []),
      ],
    })),
  };
}

function consentsSection({ consents }: SubjectAccessData): ExportSection {
  return {
    id: 'consents',
    title: 'Consents and their history',
    note: consents.history.length ? null : 'No consent was ever given: every purpose is off.',
    data: consents,
    blocks: [
      {
        heading: 'Current choices',
        rows: consents.states.map((s) => [consentPurpose(s.purpose), `${yesNo(s.granted)}${s.changedAt ? ` (since ${readableTime(s.changedAt)}, by ${words(s.channel ?? '')})` : ''}`] as const),
      },
      ...consents.history.map((e) => ({
        heading: `Change of ${readableTime(e.at)}`,
        rows: [
          ['Purpose', consentPurpose(e.purpose)],
          ['Consent', e.granted ? 'Given' : 'Withdrawn'],
          ['Received by', words(e.channel)],
        ] as const,
      })),
    ],
  };
}

function correctionsSection({ corrections }: SubjectAccessData): ExportSection {
  return {
    id: 'corrections',
    title: 'Corrections',
    note: corrections.length ? null : 'Your details were never corrected.',
    data: corrections.map((c) => ({ id: c.id, at: c.at, source: c.source, reason: c.reason, fields: c.fields, before: c.before, after: c.after })),
    blocks: corrections.map((c) => ({
      heading: `Correction of ${readableTime(c.at)}`,
      rows: [['Reason', c.reason], ['Asked by', c.source === 'customer_request' ? 'You' : 'iTechno found an error'], ...c.fields.map((f) => [words(f), `${orNone(c.before[f])} → ${orNone(c.after[f])}`] as const)],
    })),
  };
}

function accessSection(events: readonly RecordAccessEvent[], nameOf: (id: string | null) => string | null): ExportSection {
  const rows = events.map((e) => ({ at: e.at, viewedBy: nameOf(e.actorId) ?? 'A removed staff account', action: e.action, purpose: e.purpose }));
  return {
    id: 'recordAccess',
    title: 'Who viewed your record, when, and why',
    note: rows.length ? null : 'Nobody has opened your record.',
    data: rows,
    blocks: rows.map((r, i) => ({ heading: null, rows: [[readableTime(r.at), `${r.viewedBy} — ${purposeLabel(events[i]!)}`]] as const })),
  };
}
