import MarkdownIt from 'markdown-it';

/**
 * The editor's live preview. Raw HTML is off, so `<script>` or `<img onerror=…>` in a draft renders as text, and
 * markdown-it refuses `javascript:` link targets: the output is safe to set as HTML. Same options as the export
 * (main/features/policy/policyMarkdown.node.ts).
 */
// Line breaks kept, underline headings off: version 1 is plain lines with "-" alone before each list item.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable('lheading');

export function renderPolicyPreview(source: string): string {
  return markdown.render(source);
}
