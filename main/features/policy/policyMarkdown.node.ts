import MarkdownIt from 'markdown-it';

/**
 * Policy texts are Markdown. Raw HTML is off (markdown-it's default), so a draft holding `<script>` or
 * `<img onerror=…>` renders as text; markdown-it also refuses `javascript:` and similar link targets. The editor's
 * live preview uses the same options (renderer/src/features/policy/markdown.ts; a test renders both alike), so
 * what a manager reviews is what is exported.
 */
export const POLICY_MARKDOWN_OPTIONS = { html: false, linkify: false, typographer: false } as const;
const markdown = new MarkdownIt(POLICY_MARKDOWN_OPTIONS);

export function renderPolicyHtml(source: string): string {
  return markdown.render(source);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
