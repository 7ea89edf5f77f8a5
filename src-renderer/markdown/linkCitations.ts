import { findCitations } from '../../src-main/core/shared/citations';

/** Text inside these is shown as written: a `[1]` in code is code, and a link keeps its own text. */
const LITERAL = 'code, pre, a';

/**
 * Turns the `[n]` citations of a rendered reply into buttons that name their source. It runs on the sanitized
 * DOM, so the buttons (and their data-citation attribute) are the app's own: model output can produce neither.
 */
export function linkCitations(root: DocumentFragment, sources: readonly { n: number; documentName: string; page: number | null }[]): void {
  if (sources.length === 0) return;
  const byNumber = new Map(sources.map((source) => [source.n, source]));
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const textNodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node.parentElement?.closest(LITERAL) ?? null)) textNodes.push(node as Text);
  }
  const count = Math.max(...byNumber.keys());
  for (const node of textNodes) {
    const text = node.data;
    const marks = findCitations(text, count).filter((mark) => mark.numbers.every((n) => byNumber.has(n)));
    if (marks.length === 0) continue;
    const parts: (string | HTMLElement)[] = [];
    let cursor = 0;
    for (const mark of marks) {
      parts.push(text.slice(cursor, mark.start));
      for (const n of mark.numbers) parts.push(citationButton(byNumber.get(n)!));
      cursor = mark.end;
    }
    parts.push(text.slice(cursor));
    node.replaceWith(...parts);
  }
}

function citationButton({ n, documentName, page }: { n: number; documentName: string; page: number | null }): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'citation';
  button.dataset.citation = String(n);
  button.textContent = `[${n}]`;
  button.title = page === null ? documentName : `${documentName}, page ${page}`;
  button.setAttribute('aria-label', `Source ${n}: ${button.title}`);
  return button;
}
