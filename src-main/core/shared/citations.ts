// Numbered citations in a reply written from document excerpts: `[1]`, `[2, 3]`, `[1][4]`. One parser for
// the core (which excerpts the reply cited) and the renderer (which brackets become clickable), so they agree.

/** One bracket in the text and the excerpt numbers it names. */
export interface CitationMark {
  /** Offsets in the text (UTF-16 code units, end exclusive), brackets included. */
  start: number;
  end: number;
  numbers: number[];
}

/** Up to three digits, comma- or semicolon-separated; not a Markdown link (`[1](…)`), a reference (`[1]:`) or a placeholder (`[PERSON_1]`). */
const CITATION = /\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\](?![(:])/g;

/** Every citation bracket whose numbers all name an excerpt (1..count); other brackets are plain text. */
export function findCitations(text: string, count: number): CitationMark[] {
  const marks: CitationMark[] = [];
  for (const match of text.matchAll(CITATION)) {
    const numbers = match[1]!.split(/[,;]/).map((part) => Number(part.trim()));
    if (!numbers.every((n) => n >= 1 && n <= count)) continue;
    marks.push({ start: match.index, end: match.index + match[0].length, numbers: [...new Set(numbers)] });
  }
  return marks;
}

/** The excerpt numbers a reply cites, in order of first appearance. */
export function citedNumbers(text: string, count: number): number[] {
  return [...new Set(findCitations(text, count).flatMap((mark) => mark.numbers))];
}
