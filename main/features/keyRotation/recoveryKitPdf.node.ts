import PDFDocument from 'pdfkit';

export interface KitSheet {
  /** "Recovery kit" or "Share 2 of 3". */
  title: string;
  custodian: string | null;
  text: string;
}

export interface KitFacts {
  kitId: string;
  kekId: string;
  installId: string;
  createdAt: string;
  threshold: number;
  shares: number;
}

/** The printable kit: one page per sheet (the whole kit, or one per custodian's share), the text block in Courier. */
export function renderKitPdf(facts: KitFacts, sheets: readonly KitSheet[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, autoFirstPage: false, info: { Title: 'Recovery kit', Producer: 'iTechno Privacy Console', Creator: 'iTechno Privacy Console' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const sheet of sheets) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(16).text(`iTechno Privacy Console - ${sheet.title}`);
    doc.moveDown(0.4);
    doc.font('Helvetica').fontSize(9);
    doc.text(`Kit ${facts.kitId} for install ${facts.installId}, key ${facts.kekId}, made ${facts.createdAt}.`);
    if (sheet.custodian) doc.text(`Custodian: ${sheet.custodian.replace(/[^\u0020-\u007E\u00A0-\u00FF]/g, '?')}`);
    doc.moveDown(0.4);
    const steps =
      facts.shares > 1
        ? [`Keep this sheet in a locked place. Any ${facts.threshold} of the ${facts.shares} shares, with the kit passphrase, re-create the key; one share alone reveals nothing.`]
        : ['Keep this sheet in a locked place, apart from the passphrase. With the passphrase it re-creates the key that opens every record.'];
    steps.push(
      'To restore: on a workstation whose keychain lacks the key, the console shows "The console cannot open". Paste the text below (one block per share) into "Enrol this workstation" and enter the passphrase.',
      'After a key rotation this kit no longer opens the database: make a new one and destroy this sheet.',
    );
    for (const step of steps) doc.text(step);
    doc.moveDown(0.6);
    doc.font('Courier').fontSize(8).text(sheet.text, { lineGap: 1 });
  }
  doc.end();
  return done;
}
