import type { EntityCandidate } from '../types';

const monthNames = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\.?`;
const datePattern = [
  String.raw`\d{4}-\d{1,2}-\d{1,2}`,
  String.raw`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})`,
  String.raw`\d{1,2}(?:st|nd|rd|th|er)?\.?[ \t]{1,8}(?:of[ \t]{1,8}|de[ \t]{1,8})?${monthNames},?[ \t]{1,8}(?:de[ \t]{1,8})?\d{4}`,
  String.raw`${monthNames}[ \t]{1,8}\d{1,2}(?:st|nd|rd|th)?,?[ \t]{1,8}\d{4}`
].join('|');
const birthContext = String.raw`(?:\bd\.?o\.?b\b\.?|date[ \t]{1,8}of[ \t]{1,8}birth|birth[ \t_-]?date|birthday|\bborn(?:[ \t]{1,8}on)?|geburtsdatum|geboren(?:[ \t]{1,8}am)?|n[ée]e?[ \t]{1,8}le|date[ \t]{1,8}de[ \t]{1,8}naissance|fecha[ \t]{1,8}de[ \t]{1,8}nacimiento|nacid[oa][ \t]{1,8}el|data[ \t]{1,8}di[ \t]{1,8}nascita)`;
const dateOfBirthPattern = new RegExp(
  String.raw`${birthContext}[ \t]{0,8}(?:\([^)\n]{0,20}\))?[ \t]{0,8}(?:[:=,-]|is|was)?[ \t]{0,8}(?:on[ \t]{1,8})?(${datePattern})(?![\w/.-]\d)`,
  'gi'
);

/** Finds dates that follow birth words ("DOB:", "born on", "date of birth", "né le"…). */
export function detectDatesOfBirth(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(dateOfBirthPattern)) {
    const date = match[1]!;
    const start = match.index + match[0].length - date.length;
    entities.push({ type: 'DATE_OF_BIRTH', start, end: start + date.length, score: 0.95, detector: 'dateOfBirth' });
  }

  return entities;
}
