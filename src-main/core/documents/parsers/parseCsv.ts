import { parse } from 'csv-parse/sync';
import { DocumentParseError } from '../errors';
import type { ParsedDocument, ParseLimits, TextBlock } from './ParsedDocument';
import { TextBudget } from './TextBudget';

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * A CSV table, one row block per record: `Column: value; Column: value`, so that a chunk of rows still
 * says what each value is. The first record is the header.
 */
export function parseCsv(text: string, limits: Pick<ParseLimits, 'maxTextChars' | 'maxCsvColumns' | 'maxCsvRowChars'>): ParsedDocument {
  const budget = new TextBudget(limits.maxTextChars);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: limits.maxCsvRowChars,
      on_record: (record: string[], { lines }: { lines: number }) => {
        if (record.length > limits.maxCsvColumns)
          throw new DocumentParseError(
            'too-complex',
            `Row ${lines} of the CSV has ${record.length} columns; at most ${limits.maxCsvColumns} are read.`
          );
        return record;
      }
    });
  } catch (error) {
    if (error instanceof DocumentParseError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'CSV_MAX_RECORD_SIZE')
      throw new DocumentParseError('too-complex', `A row of the CSV is longer than ${limits.maxCsvRowChars} characters.`, { cause: error });
    throw new DocumentParseError('corrupt', `The CSV could not be read: ${(error as Error).message}`, { cause: error });
  }
  const [header = [], ...rows] = records;
  const names = header.map((name, i) => name.trim() || `Column ${i + 1}`);
  const blocks: TextBlock[] = [];
  if (names.length) blocks.push({ kind: 'row', text: budget.take(names.join('; ')), headingPath: [], page: null });
  for (const row of rows) {
    const cells = row.map((value, i) => `${names[i] ?? `Column ${i + 1}`}: ${value.trim()}`);
    blocks.push({ kind: 'row', text: budget.take(cells.join('; ')), headingPath: [], page: null });
  }
  return { blocks, pages: null };
}

/** The delimiter that occurs most on the first line (quotes ignored: a guess, not a parse). */
function guessDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const firstLine = text.slice(0, Math.min(end === -1 ? text.length : end, 65_536));
  let best = ',';
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}
