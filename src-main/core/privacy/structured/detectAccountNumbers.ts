import { matchNearAnchors } from '../detection/matchNearAnchors';
import type { EntityCandidate } from '../types';

/** One word boundary before the alternatives: one inside each is much slower to scan with the `iu` flags */
const accountContext = String.raw`\b(?:(?:bank[ \t]{1,8})?account|acct|a\/c|routing|aba\b|sort[ \t]{1,8}code|bsb\b|policy(?:[ \t]?holder)?|member(?:ship)?|subscriber|customer|client|patient|(?:employee|emp|cust\.?|staff|personnel|payroll|badge|student|loyalty|rewards|hospital|hosp\.?|unit|chart|medical|ins\.|university|enrol(?:l)?ment|matriculation|library|gym|club)(?=[ \t]{1,8}(?:id|number|no\b|nr\b|#|card))|(?:id|identification)(?=[ \t]{1,8}(?:number|no\b))|pt\.?(?=[ \t]{0,8}(?:id\b|no\b|#))|frequent[ \t]{1,8}fl[yi]er|(?<!(?:national|social)[ \t]{1,8})insurance|medicare|medicaid|mrn\b|medical[ \t]{1,8}record|health[ \t]{1,8}(?:card|plan)|loan|mortgage|claim|beneficiary|konto(?:nummer)?|num[ée]ro[ \t]{1,8}de[ \t]{1,8}compte|cuenta|(?:patienten|(?:kranken)?versicherten|versicherungs|mitglieds|kunden)(?:nummer|[ \t-]?nr\.?)|id[ \t]{1,8}(?:paciente|cliente|socio)|n[uú]mero[ \t]{1,8}de[ \t]{1,8}(?:paciente|afiliado|socio|cliente|p[oó]liza)|historia[ \t]{1,8}cl[ií]nica|num[ée]ro[ \t]{1,8}(?:de[ \t]{1,8}|d['’])?(?:patient|dossier|adh[ée]rent|client)|numero[ \t]{1,8}(?:di[ \t]{1,8})?(?:cartella|tessera|paziente|cliente))`;
const accountNumberPattern = new RegExp(
  accountContext +
    String.raw`(?:[ \t]{1,8}(?<numberWord>number|no\.?|num|nr\.?|#|id|identifier|code|ref(?:erence)?|card|file|record|chart))?[ \t]{0,8}(?:is[ \t]{1,8})?[:#=-]?[ \t]{0,8}#?[ \t]{0,8}` +
    String.raw`(?<value>(?:[A-Z]{1,5}[ -]?)?\d[\d -]{2,26}\d(?:-?[A-Z0-9]{1,4})?)(?![\w-])` +
    // The second number of a pair under one label: "Routing/account: 021000021 / 4839201175"
    String.raw`(?:[ \t]{0,4}\/[ \t]{0,4}(?<paired>\d[\d-]{3,26}\d)(?![\w-]))?`,
  'gid'
);

/** A question for the number, answered alone on the next line: "What's your customer number?" ⏎ "CALLER: 2025550143" */
const answeredNumberPattern = new RegExp(
  accountContext +
    String.raw`[^\n?]{0,40}\?[ \t]*\r?\n(?:\[[^\]\n]{1,24}\][ \t]*)?(?:\p{L}[\p{L}\p{N} .'’-]{0,30}:[ \t]*)?(?:(?:it's|it is|sure|yes|yeah|ok)[,.]?[ \t]{1,4})?` +
    String.raw`(?<value>(?:[A-Z]{1,5}[ -]?)?\d[\d -]{3,26}\d)[ \t]*\.?[ \t]*(?=\r?\n|$)`,
  'gidu'
);

/** The symbol and number of a Japanese health insurance card, "記号・番号: 1234567・89", and the insurer's number */
const japaneseInsuranceNumberPattern =
  /(?:記号・番号|記号番号|被保険者証番号|被保険者番号)[ \t　]*[:：]?[ \t　]*(?<value>[0-9０-９][0-9０-９・ \-－]{2,22}[0-9０-９])/dgu;

/** A payment platform's customer or account id after its key in a log: "customer=cus_NffrFeUfNV2Hib", "account: acct_1Nv0FG…" */
const platformIdPattern =
  /\b(?:customer|cust|account|acct|member|subscriber|client)(?:[_-]?id)?["']?[ \t]{0,2}[:=][ \t]{0,2}["']?(?<value>(?:cus|acct|sub|mem|cust|cli)_[A-Za-z0-9]{8,32})(?![\w-])/dgi;

/** A line that ends in a question, the only place an answered number can follow */
const questionLineEndPattern = /\?[ \t]*\r?\n/g;

/** Identifiers of people in a system, a letter prefix then digits: EMP-20931, CUST-884120, MB4471029, E-10482 */
const prefixedIdPattern = /(?<![\w-])[A-Z]{1,5}[-_]?\d{4,12}(?:-\d{1,4})?(?![\w-])/g;
/** Owner words and their suffixes, also as keys in logs and code: "customer ref", "employee_id=", "\"member-no\": \"" */
const personIdContextPattern =
  /\b(?:employee|emp|staff|personnel|payroll|badge|customer|cust|client|member(?:ship)?|patient|subscriber|student|loyalty|policy(?:holder)?|insured|beneficiary|contractor)(?:[ \t_-]{0,4}(?:id|number|no\.?|nr\.?|#|code|ref|record|file|account))*["']?[ \t]{0,4}[:#=(-]?[ \t]{0,4}["']?$/i;
/** Prefixes that say whose id it is, so the id needs no words around it: "EMP-20931 logged in" */
const personIdPrefixPattern = /^(?:EMP|CUST|MBR|PAT|POL|ACCT|STU)[-_]?\d/;
/** A bare "ID" after the person it belongs to, on the same line: "Patient: Ana Silva, ID: 4471820", "Employee: Jan Novák (ID 48213)" */
const bareIdPattern = /(?<![\w-])I[Dd](?:[ \t]?(?:no\.?|number|#))?[ \t]{0,4}[:#]?[ \t]{0,4}((?:[A-Z]{1,5}[-_]?)?\d{4,12})(?![\w-])/g;
/** The last word on the line that names a person with an id, and what follows it up to the "ID" */
const ownerWordPattern =
  /^[^]*\b(?:employee|customer|client|member|patient|student|staff|subscriber|policyholder|insured|contractor|passenger|guest|tenant)\b([^\n]*)$/i;
/** Words of things whose ids an "ID" between them and the person may be: "Customer: Ana Silva, order ID 558812" */
const thingWordPattern =
  /\b(?:order|invoice|ticket|tracking|request|transaction|txn|session|device|message|trace|correlation|batch|build|job|incident|issue|bug|case|ref|sku|version|release|commit|product|item|file|document|report|payment|shipment|confirmation|booking|reservation|task|process|thread|error|event|flight|room|seat)\b/i;
/** Prefixes and words of things that are not people: orders, tickets, builds… */
const thingIdPattern = /^(?:ORD|INV|TKT|TICKET|REQ|JOB|BUILD|REF|CASE|INC|BUG|PR|SKU|CVE|ISO|RFC|SHA|JIRA|OPS|CHG|TASK|SR|PO|RMA)\b/;

/** Finds account, policy, member and record numbers introduced by an account-like word, and prefixed ids of people. */
export function detectAccountNumbers(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(prefixedIdPattern)) {
    if (thingIdPattern.test(match[0])) continue;

    const before = text.slice(Math.max(0, match.index - 48), match.index);
    // The owner's word right before the id decides, even after a thing's ("ticket for customer CUST-4471")
    if (!personIdPrefixPattern.test(match[0]) && !personIdContextPattern.test(before)) continue;

    entities.push({
      type: 'ACCOUNT_NUMBER',
      start: match.index,
      end: match.index + match[0].length,
      score: 0.8,
      detector: 'accountNumber:prefixed'
    });
  }

  for (const match of text.matchAll(bareIdPattern)) {
    const gap = ownerWordPattern.exec(text.slice(Math.max(0, match.index - 80), match.index))?.[1];
    // Between them stand a name and punctuation, not prose ("Customer satisfaction survey ID 55120")
    if (gap == null || thingWordPattern.test(gap) || /(?<![\p{L}])\p{Ll}{4,}/u.test(gap)) continue;

    const start = match.index + match[0].length - match[1]!.length;
    entities.push({ type: 'ACCOUNT_NUMBER', start, end: start + match[1]!.length, score: 0.75, detector: 'accountNumber:ownerId' });
  }

  for (const match of text.matchAll(accountNumberPattern)) {
    const value = match.groups!.value!.trimEnd();
    // A letter prefix set apart by a space is an airline's or a scheme's code ("LO 4418 2093 71"), never a word ("for 2024…")
    if (value.replace(/\D/g, '').length < 5 || (/^[A-Za-z]+ /.test(value) && !/^[A-Z]{1,5} /.test(value))) continue;

    // "customer number 2025550143" names the number more surely than "number" alone names a phone
    const score = match.groups!.numberWord != null ? 0.9 : 0.8;
    const [valueStart] = match.indices!.groups!.value!;
    entities.push({ type: 'ACCOUNT_NUMBER', start: valueStart, end: valueStart + value.length, score, detector: 'accountNumber' });
    const paired = match.indices!.groups!.paired;
    if (paired != null) entities.push({ type: 'ACCOUNT_NUMBER', start: paired[0], end: paired[1], score, detector: 'accountNumber' });
  }

  for (const match of text.includes('_') ? text.matchAll(platformIdPattern) : []) {
    const [start, end] = match.indices!.groups!.value!;
    entities.push({ type: 'ACCOUNT_NUMBER', start, end, score: 0.85, detector: 'accountNumber:platformId' });
  }

  for (const match of /[記被]/.test(text) ? text.matchAll(japaneseInsuranceNumberPattern) : []) {
    const [start, end] = match.indices!.groups!.value!;
    entities.push({ type: 'ACCOUNT_NUMBER', start, end, score: 0.9, detector: 'accountNumber:japaneseInsurance' });
  }

  for (const match of matchNearAnchors(text, text.matchAll(questionLineEndPattern), [answeredNumberPattern], 'nextLine')) {
    const [start, end] = match.indices!.groups!.value!;
    entities.push({ type: 'ACCOUNT_NUMBER', start, end, score: 0.9, detector: 'accountNumber:answer' });
  }

  return entities;
}
