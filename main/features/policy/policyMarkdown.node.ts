import MarkdownIt from 'markdown-it';

/**
 * Policy texts are Markdown. Raw HTML is off (markdown-it's default), so a draft holding `<script>` or
 * `<img onerror=…>` renders as text; markdown-it also refuses `javascript:` and similar link targets. The editor's
 * live preview uses the same options (renderer/src/features/policy/markdown.ts; a test renders both alike), so
 * what a manager reviews is what is exported.
 */
// Line breaks are kept and underline ("setext") headings are off: the company's text (version 1) is plain lines
// with "-" alone on a line before each list item, which Markdown would otherwise turn into giant headings.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable('lheading');

export function renderPolicyHtml(source: string): string {
  return markdown.render(source);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
