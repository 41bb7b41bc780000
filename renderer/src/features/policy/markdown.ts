import MarkdownIt from 'markdown-it';

/**
 * The editor's live preview. Raw HTML is off, so `<script>` or `<img onerror=…>` in a draft renders as text, and
 * markdown-it refuses `javascript:` link targets: the output is safe to set as HTML. Same options as the export
 * (main/features/policy/policyMarkdown.node.ts).
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function renderPolicyPreview(source: string): string {
  return markdown.render(source);
}
