import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { COPIED_FEEDBACK_MS, copyText } from '../lib/clipboard';

// What Markdown produces. Raw HTML in model output goes through the same lists, so scripts, styles, frames,
// forms, buttons, inputs and event handlers never survive, and neither do class, id, style, data and aria
// attributes: model output can neither dress itself as the app's own chrome nor hide text.
const ALLOWED_TAGS = [
  'a', 'b', 'blockquote', 'br', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
  'kbd', 'li', 'ol', 'p', 'pre', 's', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'th', 'thead',
  'tr', 'ul'
];
const ALLOWED_ATTR = ['href', 'title', 'align', 'start'];

type CodeBlock = { text: string; language: string };

/** Markdown → HTML in which each code block is only a marker; the blocks themselves are collected. */
function parseMarkdown(source: string, marker: string): { html: string; blocks: CodeBlock[] } {
  const blocks: CodeBlock[] = [];
  const markdown = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: Tokens.Code): string {
        blocks.push({ text, language: lang?.trim().split(/\s+/)[0] ?? '' });
        return `<pre>${marker}${blocks.length - 1}</pre>`;
      },
      checkbox({ checked }: Tokens.Checkbox): string {
        return checked ? '☑ ' : '☐ ';
      }
    }
  });
  return { html: markdown.parse(source, { async: false }), blocks };
}

const purifier = DOMPurify(window);
// Show where a link goes before it is clicked (clicks open the system browser, never this window).
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href') && !node.hasAttribute('title')) {
    node.setAttribute('title', node.getAttribute('href') ?? '');
  }
});

/** Random per render, so model output cannot write a marker of its own. */
function newMarker(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `code-block-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}-`;
}

async function copyCode(button: HTMLButtonElement, code: HTMLElement): Promise<void> {
  button.textContent = (await copyText(code.textContent ?? '')) ? 'Copied' : 'Copy failed';
  setTimeout(() => (button.textContent = 'Copy'), COPIED_FEEDBACK_MS);
}

/** A code block with its header: the copy button is bound to this block's own code element, nothing else. */
function codeBlockFrame({ text, language }: CodeBlock): HTMLElement {
  const frame = document.createElement('div');
  frame.className = 'code-block';
  const header = document.createElement('div');
  header.className = 'code-block-header';
  const label = document.createElement('span');
  label.className = 'code-block-language';
  label.textContent = language;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'code-copy';
  button.textContent = 'Copy';
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.textContent = text;
  button.addEventListener('click', () => void copyCode(button, code));
  header.append(label, button);
  pre.append(code);
  frame.append(header, pre);
  return frame;
}

/** Markdown → sanitized DOM, with the app's code-block frames added after sanitizing. */
export function renderMarkdown(source: string): DocumentFragment {
  const marker = newMarker();
  const { html, blocks } = parseMarkdown(source, marker);
  const fragment = document.adoptNode(
    purifier.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false, ALLOW_ARIA_ATTR: false, RETURN_DOM_FRAGMENT: true })
  );

  const framed = new Set<number>();
  for (const pre of fragment.querySelectorAll('pre')) {
    const text = pre.textContent ?? '';
    const index = text.startsWith(marker) && /^\d+$/.test(text.slice(marker.length)) ? Number(text.slice(marker.length)) : -1;
    const block = blocks[index];
    if (!block || pre.childElementCount > 0 || framed.has(index)) continue;
    framed.add(index);
    pre.replaceWith(codeBlockFrame(block));
  }
  return fragment;
}

/** The text a reader sees of a piece of raw HTML: tags dropped, comments, scripts and styles with their content dropped. */
function visibleTextOf(html: string): string {
  return purifier.sanitize(html, { ALLOWED_TAGS: [], KEEP_CONTENT: true, RETURN_DOM_FRAGMENT: true }).textContent ?? '';
}

/**
 * The reply's Markdown for "Copy reply", with every piece of raw HTML replaced by the text it shows, so the
 * clipboard gets what the reader saw: no comment, script, style or other invisible text rides along.
 */
export function copyableMarkdown(source: string): string {
  let copy = '';
  let cursor = 0;
  new Marked({ gfm: true }).walkTokens(new Marked({ gfm: true }).lexer(source), (token) => {
    // Code is copied as written (it is shown as written); the cursor moves past it so no HTML inside is touched.
    if (token.type !== 'html' && token.type !== 'code' && token.type !== 'codespan') return;
    const at = source.indexOf(token.raw, cursor);
    if (at < 0) return;
    copy += source.slice(cursor, at) + (token.type === 'html' ? visibleTextOf(token.raw) : token.raw);
    cursor = at + token.raw.length;
  });
  return copy + source.slice(cursor);
}
