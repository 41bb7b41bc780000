import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { escapeHtml, renderPolicyHtml } from './policyMarkdown.node.ts';
import type { PolicyVersionRecord } from './policyVersions.node.ts';

/** What an exported copy states besides the text: clients are asked to keep the latest version. */
export function exportHeading(version: Pick<PolicyVersionRecord, 'title' | 'version' | 'effectiveDate'>): { title: string; facts: string } {
  return { title: version.title, facts: `Version ${version.version} · Effective ${version.effectiveDate ?? 'not set'}` };
}

/** A standalone HTML page: no scripts, no external resources, every value escaped (the body through markdown-it, raw HTML off). */
export function policyHtml(version: PolicyVersionRecord): string {
  const { title, facts } = exportHeading(version);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
    `<meta name="policy-version" content="${version.version}">`,
    `<meta name="policy-effective-date" content="${escapeHtml(version.effectiveDate ?? '')}">`,
    `<title>${escapeHtml(`${title} — ${facts}`)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}header p{color:#444}</style>',
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(facts)}</p></header>`,
    `<main>${renderPolicyHtml(version.body)}</main>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Writes next to the target and renames, so a failed export never leaves half a file under the chosen name. */
async function writeAtomically(path: string, write: (temporary: string) => Promise<void>): Promise<void> {
  const temporary = `${path}.partial`;
  try {
    await write(temporary);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function writePolicyHtml(path: string, version: PolicyVersionRecord): Promise<void> {
  await writeAtomically(path, (temporary) => writeFile(temporary, policyHtml(version), 'utf8'));
}

/** Markdown headings and list items become PDF headings and bullets; everything else is a paragraph. */
export async function writePolicyPdf(path: string, version: PolicyVersionRecord): Promise<void> {
  const { title, facts } = exportHeading(version);
  await writeAtomically(
    path,
    (temporary) =>
      new Promise<void>((resolve, reject) => {
        const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `${title} (version ${version.version})`, Subject: facts } });
        const out = createWriteStream(temporary);
        out.on('finish', resolve);
        out.on('error', reject);
        doc.on('error', reject);
        doc.pipe(out);
        doc.font('Helvetica-Bold').fontSize(20).text(title);
        doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444444').text(facts).fillColor('#000000');
        doc.moveDown();
        for (const raw of version.body.split(/\r?\n/)) {
          const line = raw.trimEnd();
          const heading = /^(#{1,6})\s+(.*)$/.exec(line);
          const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
          if (line.trim() === '' || line.trim() === '-') doc.moveDown(0.3);
          else if (heading) doc.moveDown(0.4).font('Helvetica-Bold').fontSize(heading[1]!.length <= 2 ? 14 : 12).text(heading[2]!).font('Helvetica').fontSize(11);
          else if (bullet) doc.font('Helvetica').fontSize(11).text(`•  ${bullet[1]}`, { indent: 12 });
          else doc.font('Helvetica').fontSize(11).text(line);
        }
        doc.end();
      }),
  );
}
