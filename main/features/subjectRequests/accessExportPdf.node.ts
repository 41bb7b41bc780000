import PDFDocument from 'pdfkit';
import { readableTime, type AccessExport, type ExportSection } from './accessExport.node.ts';

/**
 * The standard PDF fonts encode Windows-1252 only: any other character is shown as "?" here, and the JSON export
 * (UTF-8) carries every value exactly. Said in the PDF itself when it happens.
 */
const NOT_WINANSI = /[^\u0020-\u007E\u00A0-\u00FF\u20AC\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u017D\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u017E\u0178\n]/g;

/** Renders an access export as a readable PDF (real text, so it can be searched, copied and read aloud). */
export function renderAccessPdf(exported: AccessExport): Promise<Buffer> {
  // No document info beyond the product: the title bar and file properties must not carry a name.
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: 'Personal data held by iTechno', Producer: 'iTechno Privacy Console', Creator: 'iTechno Privacy Console' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  let replaced = false;
  const clean = (value: string) =>
    value.replace(NOT_WINANSI, () => {
      replaced = true;
      return '?';
    });

  doc.font('Helvetica-Bold').fontSize(18).text('Personal data held by iTechno');
  doc.moveDown(0.3);
  doc.font('Helvetica').fontSize(10).fillColor('#444444');
  doc.text(`Prepared ${readableTime(exported.generatedAt)} in answer to your request for a copy of your personal data. Reference ${exported.exportId}.`);
  doc.fillColor('#000000');
  for (const section of exported.sections) writeSection(doc, section, clean);
  if (replaced) {
    doc.moveDown();
    doc.font('Helvetica-Oblique').fontSize(9).text('Some characters cannot be shown in this PDF and appear as "?". The JSON copy of this export holds every value exactly.');
  }
  doc.end();
  return done;
}

function writeSection(doc: PDFKit.PDFDocument, section: ExportSection, clean: (value: string) => string): void {
  doc.moveDown(1.2);
  doc.font('Helvetica-Bold').fontSize(14).text(clean(section.title));
  doc.moveDown(0.3);
  if (section.note) doc.font('Helvetica-Oblique').fontSize(10).text(clean(section.note)).moveDown(0.3);
  for (const block of section.blocks) {
    if (block.heading) doc.font('Helvetica-Bold').fontSize(10).text(clean(block.heading));
    for (const [label, value] of block.rows) {
      doc.font('Helvetica-Bold').fontSize(10).text(`${clean(label)}: `, { continued: true });
      doc.font('Helvetica').text(clean(value));
    }
    doc.moveDown(0.5);
  }
}
