import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

/** Marks the copy button of a rendered code block; markdownInteractions finds it by this attribute. */
export const COPY_CODE_ATTRIBUTE = 'data-copy-code';

// Everything Markdown can produce, plus the code-block chrome below. Raw HTML in model output goes
// through the same list, so scripts, styles, frames, forms, media and event handlers never survive.
const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'input', 'kbd', 'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'sup', 'table',
  'tbody', 'td', 'th', 'thead', 'tr', 'ul'
];
const ALLOWED_ATTR = ['href', 'title', 'class', 'type', 'checked', 'disabled', 'align', 'start', COPY_CODE_ATTRIBUTE];

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const markdown = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang, escaped }: Tokens.Code): string {
      const language = lang?.trim().split(/\s+/)[0] ?? '';
      const languageClass = language ? ` class="language-${escapeHtml(language)}"` : '';
      const code = escaped ? text : escapeHtml(text);
      return (
        '<div class="code-block"><div class="code-block-header">' +
        `<span class="code-block-language">${escapeHtml(language)}</span>` +
        `<button type="button" class="code-copy" ${COPY_CODE_ATTRIBUTE}>Copy</button>` +
        `</div><pre><code${languageClass}>${code}</code></pre></div>`
      );
    }
  }
});

const purifier = DOMPurify(window);
// Show where a link goes before it is clicked (clicks open the system browser, never this window).
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href') && !node.hasAttribute('title')) {
    node.setAttribute('title', node.getAttribute('href') ?? '');
  }
});

/** Markdown → sanitized HTML, safe for {@html}. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false });
  return purifier.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false });
}
