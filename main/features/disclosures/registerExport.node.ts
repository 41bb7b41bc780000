import Papa from 'papaparse';
import PDFDocument from 'pdfkit';
import type { StaffNameOf } from '../accounts/accounts.port.node.ts';
import type { RegisterRecord } from './disclosureRegister.node.ts';
import { DISCLOSABLE_FIELD_LABELS, DISCLOSURE_KIND_LABELS } from './disclosureRules.std.ts';

/** The register as an auditor reads it: one line per entry, staff by name, customers by id (never by name). */
function columnsOf(entry: RegisterRecord, nameOf: StaffNameOf): Record<string, string> {
  return {
    seq: String(entry.seq),
    entry: entry.id,
    type: entry.type,
    corrects: entry.correctsId ?? '',
    recorded_at: entry.recordedAt,
    recorded_by: nameOf(entry.recordedBy) ?? entry.recordedBy,
    requested_by: entry.requestedBy ? (nameOf(entry.requestedBy) ?? entry.requestedBy) : '',
    approved_by: entry.approvedBy ? (nameOf(entry.approvedBy) ?? entry.approvedBy) : '',
    approved_at: entry.approvedAt ?? '',
    recipient: entry.recipientName ?? '',
    recipient_version: entry.recipientVersion === null ? '' : String(entry.recipientVersion),
    kind: entry.kind ?? '',
    legal_authority: entry.legalAuthority ?? '',
    legal_reference: entry.legalReference ?? '',
    document_date: entry.documentDate ?? '',
    fields: entry.fields.join(' '),
    customer_count: String(entry.customerCount),
    customer_ids: entry.customerIds.join(' '),
    file_format: entry.fileFormat ?? '',
    encrypted: entry.encrypted ? 'yes' : 'no',
    file_sha256: entry.fileSha256 ?? '',
    note: entry.note ?? '',
  };
}

export function registerCsv(entries: readonly RegisterRecord[], nameOf: StaffNameOf): Buffer {
  const rows = entries.map((e) => columnsOf(e, nameOf));
  const fields = Object.keys(columnsOf(EMPTY, () => null));
  return Buffer.from(`${Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) }, { escapeFormulae: true, newline: '\r\n' })}\r\n`, 'utf8');
}

const EMPTY: RegisterRecord = {
  seq: 0, id: '', type: 'release', correctsId: null, requestId: null, approvalId: null, requestedBy: null, approvedBy: null, approvedAt: null,
  recordedBy: '', recordedAt: '', recipientId: null, recipientName: null, recipientVersion: null, kind: null, legalReference: null,
  legalAuthority: null, documentDate: null, note: null, fields: [], customerCount: 0, customerIds: [], fileFormat: null, encrypted: false,
  fileSha256: null, correctedBy: [],
};

/** A PDF for auditors: a heading with the filter and time, then one block per entry. Built in memory. */
export function registerPdf(entries: readonly RegisterRecord[], nameOf: StaffNameOf, meta: { generatedAt: string; filter: string }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Disclosure register', Author: 'iTechno Privacy Console' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(16).text('Disclosure register');
    doc.font('Helvetica').fontSize(9).text(`Generated ${meta.generatedAt}. Filter: ${meta.filter}. Entries: ${entries.length}.`);
    doc.moveDown();
    if (entries.length === 0) doc.fontSize(10).text('No entries match the filter.');
    for (const entry of entries) {
      const c = columnsOf(entry, nameOf);
      const title = entry.type === 'correction' ? `#${entry.seq} Correction of ${entry.correctsId}` : `#${entry.seq} Release to ${c.recipient} (version ${c.recipient_version})`;
      doc.font('Helvetica-Bold').fontSize(11).text(title);
      doc.font('Helvetica').fontSize(9);
      const lines = [
        `Entry ${entry.id}, recorded ${c.recorded_at} by ${c.recorded_by}`,
        `Requested by ${c.requested_by || '-'}; approved by ${c.approved_by || '-'} at ${c.approved_at || '-'}`,
        `Kind: ${entry.kind ? DISCLOSURE_KIND_LABELS[entry.kind] : '-'}`,
        ...(entry.legalReference ? [`Legal basis: ${c.legal_authority}, reference ${c.legal_reference}, dated ${c.document_date}`] : []),
        `Fields: ${entry.fields.map((f) => DISCLOSABLE_FIELD_LABELS[f]).join(', ')}`,
        `Customers (${entry.customerCount}): ${c.customer_ids}`,
        ...(entry.fileSha256 ? [`File: ${c.file_format}${entry.encrypted ? ', encrypted' : ''}, SHA-256 ${entry.fileSha256}`] : []),
        ...(entry.note ? [`Note: ${entry.note}`] : []),
        ...(entry.correctedBy.length ? [`Corrected by entries: ${entry.correctedBy.join(', ')}`] : []),
      ];
      for (const line of lines) doc.text(line);
      doc.moveDown(0.8);
    }
    doc.end();
  });
}
