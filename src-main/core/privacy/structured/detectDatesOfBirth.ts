import type { EntityCandidate } from '../types';

const monthNames = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|januar|februar|m[äa]rz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|dezembro|januari|februari|maart|mei|augusti|augustus|maj|ledna|[úu]nora|b[řr]ezna|dubna|kv[ěe]tna|[čc]ervence|[čc]ervna|srpna|z[áa][řr][íi]|[řr][íi]jna|listopadu|prosince|janu[áa]ra|febru[áa]ra|marca|apr[íi]la|m[áa]ja|j[úu]na|j[úu]la|augusta|septembra|okt[óo]bra|novembra|decembra|stycznia|lutego|kwietnia|maja|czerwca|lipca|sierpnia|wrze[śs]nia|pa[źz]dziernika|listopada|grudnia|sije[čc]nja|velja[čc]e|o[žz]ujka|travnja|svibnja|lipnja|srpnja|kolovoza|rujna|studenoga|prosinca|tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kes[äa]kuuta|hein[äa]kuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta)\.?`;
/** Days and years as they are spoken in transcripts: "the fourteenth of March, nineteen eighty-two" */
const dayWord = String.raw`(?:(?:twenty|thirty)[ -]?)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth`;
const unitWord = String.raw`(?:one|two|three|four|five|six|seven|eight|nine)`;
const tensWord = String.raw`(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)`;
const teenWord = String.raw`(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)`;
const yearWords = String.raw`(?:nineteen|two[ \t]thousand(?:[ \t]and)?|twenty)[ \t](?:${tensWord}(?:[ -]?${unitWord})?|${teenWord}|oh[ \t]${unitWord}|${unitWord})`;
/** Day and month read out as numbers: "oh three", "twelve", "twenty-one" */
const spokenNumber = String.raw`(?:(?:oh|zero)[ -])?${unitWord}|${teenWord}|${tensWord}(?:[ -]${unitWord})?`;
const dayNumber = String.raw`(?:\d{1,2}(?:st|nd|rd|th|er)?\.?|${dayWord})`;
/** Birth words come first, so a two-digit year ("12 June 87", "eighty-seven") is as likely as a four-digit one */
const yearNumber = String.raw`(?:\d{4}|['’]?\d{2}(?!\d)|${yearWords}|${tensWord}(?:[ -]?${unitWord})?)`;
const datePattern = [
  String.raw`\d{4}[/.-]\d{1,2}[/.-]\d{1,2}`,
  String.raw`\d{4}年\d{1,2}月\d{1,2}日`,
  String.raw`\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})`,
  // "12-Mar-1984", "03/Dec/79": the day-month-year of clinical and airline systems
  String.raw`\d{1,2}[/.-]${monthNames}[/.-](?:\d{4}|\d{2})`,
  // "19840312", "12031984": only a birth word before makes eight digits a date
  String.raw`(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2}`,
  String.raw`${dayNumber}[ \t]{1,8}(?:of[ \t]{1,8}|de[ \t]{1,8})?${monthNames},?[ \t]{1,8}(?:de[ \t]{1,8})?${yearNumber}`,
  String.raw`${monthNames}[ \t]{1,8}(?:the[ \t]{1,8})?${dayNumber},?[ \t]{1,8}${yearNumber}`,
  // "oh three, twelve, eighty-four": a date read out digit group by digit group in a call
  String.raw`(?:${spokenNumber}),?[ \t]{1,8}(?:${spokenNumber}),?[ \t]{1,8}(?:${yearWords}|${tensWord}(?:[ -]?${unitWord})?)`
].join('|');
const birthContext = String.raw`(?:\bd\.?o\.?b\b\.?|date[ \t]{1,8}of[ \t]{1,8}birth|birth[ \t_-]?date|birthday|\bborn(?:[ \t]{1,8}on)?|\bb\.[ \t]|geburtsdatum|geboren(?:[ \t]{1,8}am)?|n[ée](?:\(e\)|e)?[ \t]{1,8}le|\bnar\.|\bgeb\.|\bur\.|\bro[đd]\.|f[øö]dd?t?|syntynyt|narozen[aáý]?|narodený|narodená|ro[đd]en[ai]?|urodzi[łl][ao]?[ \t]{1,8}si[ęe]|nat[oa][ \t]{1,8}il|date[ \t]{1,8}de[ \t]{1,8}naissance|fecha[ \t]{1,8}de[ \t]{1,8}nacimiento|nacid[oa][ \t]{1,8}el|data[ \t]{1,8}di[ \t]{1,8}nascita|data[ \t]{1,8}de[ \t]{1,8}nascimento|nascid[oa][ \t]{1,8}em|geboortedatum|geboren[ \t]{1,8}op|f[öo]delsedatum|f[øo]dselsdato|data[ \t]{1,8}urodzenia|urodzon[ya][ \t]{1,8}dnia|datum[ \t]{1,8}narozen[íi]|syntym[äa]aika|do[ğg]um[ \t]{1,8}tarihi|生年月日|出生日期|出生年月日)`;
const dateOfBirthPattern = new RegExp(
  String.raw`${birthContext}[ \t]{0,8}(?:\([^)\n]{0,20}\))?[ \t]{0,8}(?:[:：=,-]|is|was|['’]s|of|as|\.{2,}|…+)?[ \t]{0,8}(?:\r?\n[ \t]{0,8})?(?:on[ \t]{1,8})?(?:the[ \t]{1,8})?(${datePattern})(?![\w/.-]\d)(?![ -](?:${unitWord}|${tensWord})\b)`,
  'gi'
);

/**
 * A date that opens the answer to a question about birth on the line before, as in call transcripts:
 * "Agent: And when were you born?" / "[00:02:42] Mai: March 3rd, 1994." (a timestamp and a speaker may come first)
 */
const answeredDatePattern = new RegExp(
  String.raw`(?<=\n)(?:[ \t]{0,8}[[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?)?[^\n\d:]{0,40}:[ \t]{0,8}(?:(?:sure|yes|yeah|yep|ok|okay|right)[,.]?[ \t]{1,8})?(?:(?:it['’]s|it[ \t]is|i[ \t]was[ \t]born[ \t]on|on)[ \t]{1,8})?(?:the[ \t]{1,8})?(${datePattern})(?![\w/.-]\d)`,
  'gi'
);
const birthQuestionPattern = new RegExp(birthContext, 'i');

/** Finds dates that follow birth words ("DOB:", "born on", "date of birth", "né le"…). */
export function detectDatesOfBirth(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(dateOfBirthPattern)) {
    const date = match[1]!;
    const start = match.index + match[0].length - date.length;
    entities.push({ type: 'DATE_OF_BIRTH', start, end: start + date.length, score: 0.95, detector: 'dateOfBirth' });
  }

  if (birthQuestionPattern.test(text))
    for (const match of text.matchAll(answeredDatePattern)) {
      const lineStart = match.index;
      const previousLine = text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1);
      // A form's "DOB: 02/11/1957" already has its date; only an unanswered birth question counts
      const question = birthQuestionPattern.exec(previousLine);
      if (question == null || /\d{2}/.test(previousLine.slice(question.index))) continue;

      const date = match[1]!;
      const start = match.index + match[0].length - date.length;
      entities.push({ type: 'DATE_OF_BIRTH', start, end: start + date.length, score: 0.9, detector: 'dateOfBirth:answer' });
    }

  return entities;
}
