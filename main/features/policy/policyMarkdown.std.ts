import MarkdownIt from 'markdown-it';

/**
 * Policy texts are Markdown. Raw HTML is off (markdown-it's default), so a draft holding `<script>` or
 * `<img onerror=…>` renders as text; markdown-it also refuses `javascript:` and similar link targets. The same
 * renderer serves the editor's live preview and the HTML export, so what a manager reviews is what is exported.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

export function renderPolicyHtml(source: string): string {
  return markdown.render(source);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
