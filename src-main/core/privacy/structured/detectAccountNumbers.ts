import type { EntityCandidate } from '../types';

const accountContext = String.raw`(?:\b(?:bank[ \t]{1,8})?account|\bacct|\ba\/c|\brouting|\baba\b|\bsort[ \t]{1,8}code|\bbsb\b|\bpolicy|\bmember(?:ship)?|\bsubscriber|\bcustomer|\bclient|\bpatient|\binsurance|\bmedicare|\bmedicaid|\bmrn\b|\bmedical[ \t]{1,8}record|\bhealth[ \t]{1,8}(?:card|plan)|\bloan|\bmortgage|\bclaim|\bbeneficiary|\bkonto(?:nummer)?|\bnum[ée]ro[ \t]{1,8}de[ \t]{1,8}compte|\bcuenta)`;
const accountNumberPattern = new RegExp(
  accountContext +
    String.raw`(?:[ \t]{1,8}(?:number|no\.?|num|nr\.?|#|id|identifier|code))?[ \t]{0,8}(?:is[ \t]{1,8})?[:#=-]?[ \t]{0,8}#?[ \t]{0,8}` +
    String.raw`((?:[A-Z]{1,5}-?)?\d[\d -]{2,26}\d(?:-?[A-Z0-9]{1,4})?)(?![\w-])`,
  'gi'
);

/** Finds account, policy, member and record numbers introduced by an account-like word. */
export function detectAccountNumbers(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(accountNumberPattern)) {
    const value = match[1]!.trimEnd();
    if (value.replace(/\D/g, '').length < 5) continue;

    const start = match.index + match[0].length - match[1]!.length;
    entities.push({ type: 'ACCOUNT_NUMBER', start, end: start + value.length, score: 0.8, detector: 'accountNumber' });
  }

  return entities;
}
