import type { EntityCandidate, PiiType } from '../types';
import { isPlausibleFieldValue, typeOfField } from './fieldTypes';

/** Anchored on the assignment, which is rarer than words, then the key is read backwards */
const quotedAssignmentPattern = /[:=][ \t]{0,4}(?:"([^"\n]{1,120})"|'([^'\n]{1,120})')/g;
const keyBeforePattern = /(["']?)([A-Za-z][A-Za-z0-9_-]{0,30})\1[ \t]{0,4}$/;
/** A value runs to the line's end, or to two spaces or a tab before the next field of a form line ("Aadhaar: …   Mobile: …") */
const yamlValuePattern = /^[ \t]{0,16}([A-Za-z][A-Za-z0-9_ -]{0,30}):[ \t]{1,8}([^\s"'#][^\n#]{0,119}?)(?:[ \t]*$|(?=[ \t]{2,}\S|\t))/gm;
const sqlInsertPattern = /\bINSERT[ \t]+INTO[ \t]+[\w."`[\]]{1,64}[ \t]*\(([^()]{1,500})\)[ \t\r\n]{0,8}VALUES[ \t]*\(/gi;

/**
 * Labels values by the key they are assigned to: JSON and JavaScript objects (`"lastName": "Kaya"`),
 * YAML and env-style lines (`city: Ankara`), and SQL inserts (`INSERT INTO t (name, dob) VALUES ('…', '…')`).
 * Values of types not in `enabled` are not checked (a name check needs the language model, which may not be loaded).
 */
export function detectKeyedValues(text: string, enabled: ReadonlySet<PiiType>): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  const add = (key: string, start: number, value: string) => {
    const type = typeOfField(key);
    if (type != null && enabled.has(type) && isPlausibleFieldValue(type, key, value))
      entities.push({ type, start, end: start + value.length, score: 0.75, detector: 'keyedValue' });
  };

  for (const match of text.matchAll(quotedAssignmentPattern)) {
    const key = keyBeforePattern.exec(text.slice(Math.max(0, match.index - 40), match.index))?.[2];
    const value = match[1] ?? match[2]!;
    if (key != null) add(key, match.index + match[0].length - value.length - 1, value);
  }

  for (const match of text.matchAll(yamlValuePattern)) {
    const value = match[2]!;
    add(match[1]!, match.index + match[0].lastIndexOf(value), value);
  }

  for (const match of text.matchAll(sqlInsertPattern)) {
    const columns = match[1]!.split(',').map((column) => column.trim().replace(/^["`[]|["`\]]$/g, ''));
    readSqlValues(text, match.index + match[0].length).forEach((value, index) => {
      const column = columns[index];
      if (column != null) add(column, value.start, text.slice(value.start, value.end));
    });
  }

  return entities;
}

/** Reads the values of one SQL `VALUES (…)` tuple: quoted strings (with '' escapes) or bare tokens. */
function readSqlValues(text: string, start: number) {
  const values: { start: number; end: number }[] = [];
  let index = start;
  const limit = Math.min(text.length, start + 4_000);
  while (index < limit) {
    while (text[index] === ' ' || text[index] === '\t') index++;

    if (text[index] === "'") {
      let end = index + 1;
      while (end < limit && (text[end] !== "'" || text[end + 1] === "'")) end += text[end] === "'" ? 2 : 1;

      values.push({ start: index + 1, end });
      index = end + 1;
    } else {
      const end = text.slice(index, limit).search(/[,)]/);
      if (end === -1) break;

      values.push({ start: index, end: index + end });
      index += end;
    }

    while (text[index] === ' ' || text[index] === '\t') index++;

    if (text[index] !== ',') break;

    index++;
  }

  return values;
}
