import { compile, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { DocumentParseError } from '../errors';
import type { ParsedDocument, ParseLimits } from './ParsedDocument';
import { parseMarkdown } from './parseMarkdown';

/** Where the main content is, best first; the whole document when none of them has text. */
const MAIN_CONTENT = ['main', 'article', '[role=main]', 'body'];
/** How much larger than its text an HTML source may be (tags, attributes). */
const MARKUP_FACTOR = 4;
/** Page furniture that is not the content. */
const SKIPPED = ['nav', 'footer', 'aside', 'form', 'script', 'style', 'noscript', 'template', 'svg', 'img', 'button'];

const heading =
  (level: number): FormatCallback =>
  (elem, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addInline(`${'#'.repeat(level)} `);
    walk(elem.children, builder);
    builder.closeBlock({ trailingLineBreaks: 2 });
  };

/** A table row as one line, `| a | b |`, which the Markdown block parser reads as a row. */
const tableRow: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 1 });
  builder.addInline('| ');
  const cells = (elem.children ?? []).filter((child) => child.type === 'tag');
  cells.forEach((child, index) => {
    walk([child], builder);
    if (index < cells.length - 1) builder.addInline(' | ');
  });
  builder.addInline(' |');
  builder.closeBlock({ trailingLineBreaks: 1 });
};
/** A cell's content inline: Word puts a paragraph in every cell, which would break the row's line. */
const cell: FormatCallback = (elem, walk, builder) =>
  walk(
    (elem.children ?? []).flatMap((child) => (child.type === 'tag' && child.name === 'p' ? (child.children ?? []) : [child])),
    builder
  );

function options(base: string, limits: Pick<ParseLimits, 'maxHtmlDepth'>): HtmlToTextOptions {
  return {
    wordwrap: false,
    // The last candidate falls back to the whole document (a fragment has no <body>).
    baseElements: { selectors: [base], returnDomByDefault: base === MAIN_CONTENT.at(-1) },
    // html-to-text walks elements recursively: deeper nesting than this is cut off, not followed.
    limits: { maxDepth: limits.maxHtmlDepth, ellipsis: '' },
    formatters: {
      h1: heading(1),
      h2: heading(2),
      h3: heading(3),
      h4: heading(4),
      h5: heading(5),
      h6: heading(6),
      tableRow,
      cell
    },
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: `h${level}` })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'table', format: 'block' },
      { selector: 'thead', format: 'block' },
      { selector: 'tbody', format: 'block' },
      { selector: 'tfoot', format: 'block' },
      { selector: 'tr', format: 'tableRow' },
      { selector: 'td', format: 'cell' },
      { selector: 'th', format: 'cell' },
      ...SKIPPED.map((selector) => ({ selector, format: 'skip' }))
    ]
  };
}

/** HTML's main content as text with its headings and table rows, read as structured Markdown. */
export function parseHtml(html: string, limits: Pick<ParseLimits, 'maxTextChars' | 'maxHtmlDepth'>): ParsedDocument {
  // html-to-text holds the whole DOM in memory: the source is bounded too, generously for markup.
  if (html.length > limits.maxTextChars * MARKUP_FACTOR)
    throw new DocumentParseError(
      'too-large',
      `The HTML is larger than ${limits.maxTextChars * MARKUP_FACTOR} characters; split it into smaller files.`
    );
  for (const base of MAIN_CONTENT) {
    const text = compile(options(base, limits))(html);
    if (text.trim()) return parseMarkdown(text, limits);
  }
  return { blocks: [], pages: null };
}
