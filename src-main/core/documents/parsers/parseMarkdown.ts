import type { ParsedDocument, ParseLimits, TextBlock } from './ParsedDocument';
import { TextBudget } from './TextBudget';

const ATX_HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TABLE_ROW = /^ {0,3}\|.*\|[ \t]*$/;
const TABLE_RULE = /^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/;

/**
 * Markdown by structure: ATX headings (`#`…`######`) set the heading path; paragraphs and fenced code
 * blocks are blocks; each table row is a row block. The Markdown source is kept as written.
 */
export function parseMarkdown(text: string, limits: Pick<ParseLimits, 'maxTextChars'>): ParsedDocument {
  const budget = new TextBudget(limits.maxTextChars);
  const blocks: TextBlock[] = [];
  const headings: string[] = [];
  let paragraph: string[] = [];
  let fence: { marker: string; lines: string[] } | null = null;

  const push = (kind: TextBlock['kind'], body: string) => {
    const trimmed = body.trim();
    if (trimmed) blocks.push({ kind, text: budget.take(trimmed), headingPath: [...headings], page: null });
  };
  const flushParagraph = () => {
    push('paragraph', paragraph.join('\n'));
    paragraph = [];
  };

  for (const line of text.split('\n')) {
    if (fence) {
      fence.lines.push(line);
      if (line.trimStart().startsWith(fence.marker)) {
        push('paragraph', fence.lines.join('\n'));
        fence = null;
      }
      continue;
    }
    const fenceOpen = FENCE.exec(line);
    if (fenceOpen) {
      flushParagraph();
      fence = { marker: fenceOpen[1]!, lines: [line] };
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      flushParagraph();
      const level = heading[1]!.length;
      headings.length = Math.min(headings.length, level - 1);
      headings.push(heading[2]!.trim() || line.trim());
      push('heading', line);
      continue;
    }
    if (TABLE_ROW.test(line) && !TABLE_RULE.test(line)) {
      flushParagraph();
      push('row', line);
      continue;
    }
    if (!line.trim() || TABLE_RULE.test(line)) {
      flushParagraph();
      continue;
    }
    paragraph.push(line);
  }
  if (fence) push('paragraph', fence.lines.join('\n'));
  flushParagraph();
  return { blocks, pages: null };
}
