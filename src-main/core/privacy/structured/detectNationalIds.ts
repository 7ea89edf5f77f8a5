import { matchNearAnchors } from '../detection/matchNearAnchors';
import type { EntityCandidate } from '../types';
import { nationalIdFormats, type NationalIdFormat } from './nationalIdFormats';
import { TableHeaders } from './tableHeaders';

const contextLength = 64;
/** How far into its line an answer may start (a timestamp and a speaker's name come first) */
const answerOffset = 48;
const timestampPattern = /^[ \t]{0,8}[[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?/;

/**
 * For formats that need context, the context's words alone (its pattern without the anchored tail
 * `[^\n…]{0,N}$`), and the same words as a global pattern that finds where they stand.
 */
const contextWordsByFormat = new Map(
  nationalIdFormats.flatMap((format) => {
    const tail = /\[\^\\n(?:\\d)?\]\{0,\d+\}\$$/;
    const source = format.requiredContext?.source;
    if (source == null || !tail.test(source)) return [];

    const words = source.replace(tail, '');
    const flags = format.requiredContext!.flags;
    return [[format, { test: new RegExp(words, flags), anchor: new RegExp(words, `${flags}g`) }] as const];
  })
);

/**
 * A number named as a national identity document, in no format the table knows or with its check failed: "national ID
 * 123456789", "ID card no. AB1234567", "passport number X1234567". The label alone makes it one.
 */
const labelledIdentityNumberPattern =
  /\b(?:national[ \t]{1,4}id(?:entity)?(?:[ \t]{1,4}(?:card|number))?|(?:national[ \t]{1,4})?identity[ \t]{1,4}(?:card|number|document)|id[ \t]{1,4}card|passport|(?:citizen(?:ship)?|resident)[ \t]{1,4}(?:id|number)|personal[ \t]{1,4}(?:id|identity|identification)(?:[ \t]{1,4}(?:number|code))?)(?:[ \t]{1,4}(?:no\.?|number|nr\.?|#))?[ \t]{0,4}(?:is[ \t]{1,4})?[:#]?[ \t]{0,4}(?<value>[A-Z]{0,3}[ -]?\d[\d ./-]{3,18}[\dA-Z])(?![\w/-])/dgi;

export function detectNationalIds(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(labelledIdentityNumberPattern)) {
    const [start, end] = match.indices!.groups!.value!;
    if (match.groups!.value!.replace(/\D/g, '').length >= 5)
      entities.push({ type: 'NATIONAL_ID', start, end, score: 0.85, detector: 'nationalId:labelled' });
  }

  const tables = new TableHeaders(text);
  // Column headers write their words with underscores or hyphens ("social_security_number"); one space for each
  // keeps the positions of the text
  const searchableText = text.replace(/[_-]/g, ' ');
  for (const format of nationalIdFormats) {
    const words = contextWordsByFormat.get(format);
    // A format that needs context words is looked for only in the blocks they stand in: the same line, the answer
    // on the next one, the rows under a table's header
    const candidates =
      words == null
        ? text.matchAll(format.pattern)
        : matchNearAnchors(text, searchableText.matchAll(words.anchor), [format.pattern], 'block');
    for (const match of candidates) {
      if (!format.isValid(match[0])) continue;

      const before = text.slice(Math.max(0, match.index! - contextLength), match.index);
      if (
        format.requiredContext != null &&
        !format.requiredContext.test(before) &&
        !isAnswerToQuestion(text, match.index!, format) &&
        !isInLabelledColumn(tables, match.index!, format)
      )
        continue;

      const hasContext = format.requiredContext != null || format.supportingContext?.test(before) === true;
      entities.push({
        type: 'NATIONAL_ID',
        start: match.index!,
        end: match.index! + match[0].length,
        score: hasContext ? 0.98 : 0.9,
        detector: `nationalId:${format.id}`
      });
    }
  }

  return entities;
}

/**
 * A value at the start of a line that answers the line before ("Agent: And your SSN?" / "Caller: 512349876"):
 * the context words may stand anywhere on that previous line.
 */
function isAnswerToQuestion(text: string, index: number, format: NationalIdFormat) {
  const words = contextWordsByFormat.get(format)?.test;
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  if (
    words == null ||
    lineStart === 0 ||
    index - lineStart > answerOffset ||
    /\d{3}/.test(text.slice(lineStart, index).replace(timestampPattern, ''))
  )
    return false;

  const previousLine = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1);
  return words.test(previousLine);
}

/** A cell of a delimited table whose column header names the format ("nhs_number", "Social Security Number") */
function isInLabelledColumn(tables: TableHeaders, index: number, format: NationalIdFormat) {
  const words = contextWordsByFormat.get(format)?.test;
  const header = words == null ? undefined : tables.columnHeaderAt(index);
  return header != null && words!.test(header);
}
