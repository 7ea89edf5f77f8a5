/** Letters and digits only, lower-cased: text extraction differs in spaces, hyphens and line breaks, not in these. */
const normalize = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** How much of the passage's start (or, failing that, its end) must match, in normalized characters. */
const PROBE = 60;

/**
 * Which of a page's text items hold `passage` (a retrieved excerpt): the items overlapping its place in the
 * page's text. The whole passage is looked for first, then its beginning and its end, since an excerpt may
 * run past the page's text as pdf.js splits it.
 */
export function findPassage(items: readonly string[], passage: string): Set<number> {
  const owners: number[] = [];
  let text = '';
  items.forEach((item, index) => {
    const part = normalize(item);
    text += part;
    for (let i = 0; i < part.length; i++) owners.push(index);
  });
  const wanted = normalize(passage);
  if (!wanted) return new Set();
  for (const probe of [wanted, wanted.slice(0, PROBE), wanted.slice(-PROBE)]) {
    const at = text.indexOf(probe);
    if (at < 0) continue;
    const end = probe === wanted.slice(0, PROBE) && probe !== wanted ? Math.min(text.length, at + wanted.length) : at + probe.length;
    return new Set(owners.slice(at, end));
  }
  return new Set();
}
