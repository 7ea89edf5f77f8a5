import type { ParsedDocument, ParseLimits, TextBlock } from './ParsedDocument';
import { TextBudget } from './TextBudget';

/** Plain text: one paragraph block per run of non-blank lines. */
export function parseText(text: string, limits: Pick<ParseLimits, 'maxTextChars'>): ParsedDocument {
  const budget = new TextBudget(limits.maxTextChars);
  const blocks: TextBlock[] = [];
  for (const paragraph of splitParagraphs(text))
    blocks.push({ kind: 'paragraph', text: budget.take(paragraph), headingPath: [], page: null });
  return { blocks, pages: null };
}

/** Runs of non-blank lines, trimmed; blank runs are dropped. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
