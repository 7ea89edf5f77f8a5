import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { isNonNameWord } from './readName';

const wordAfterConjunctionPattern = /^[ \t]{1,4}(?:and|&|or)[ \t]{1,4}([\p{L}][\p{L}\p{M}'’-]{1,30})(?![\p{L}\p{M}\p{N}@._/-])/u;
const wordBeforeConjunctionPattern = /(?<![\p{L}\p{M}\p{N}@._/-])([\p{L}][\p{L}\p{M}'’-]{1,30})[ \t]{1,4}(?:and|&)[ \t]{1,4}$/u;
/** A comma joins names only within a list of single words that goes on: "Ama, Kojo and Efua", not "Anna Schmidt, Steuer-ID" */
const listedWordAfterPattern = /^,[ \t]{1,4}([\p{L}][\p{L}\p{M}'’-]{1,30})(?=[ \t]{0,4}(?:,|(?:and|&)[ \t]))/u;
const listedWordBeforePattern = /(?<![\p{L}\p{M}\p{N}@._/-])([\p{L}][\p{L}\p{M}'’-]{1,30}),[ \t]{1,4}$/u;
const maxChainLength = 6;

/**
 * Names joined to a name already found: "ousmane and mamadou", "Rustam and Gulnara", "Ama, Kojo and Efua".
 * The partner must be written like the name (both lower case or both capitalised) and be no everyday word.
 */
export function detectCoordinatedNames(text: string, found: readonly EntityCandidate[]): EntityCandidate[] {
  let frontier = found.filter((entity) => entity.type === 'PERSON');
  const taken = new Set(frontier.map((entity) => entity.start));
  const partners: EntityCandidate[] = [];
  for (let step = 0; step < maxChainLength && frontier.length > 0; step++) {
    const added: EntityCandidate[] = [];
    for (const person of frontier) {
      const name = text.slice(person.start, person.end);
      const isOneWord = !/\s/.test(name);
      const after = text.slice(person.end, person.end + 48);
      const next = wordAfterConjunctionPattern.exec(after) ?? (isOneWord ? listedWordAfterPattern.exec(after) : null);
      if (next != null) {
        const start = person.end + next[0].length - next[1]!.length;
        if (!taken.has(start) && isPartnerName(next[1]!, name)) added.push(partnerAt(start, next[1]!));
      }

      const before = text.slice(Math.max(0, person.start - 48), person.start);
      // "Ama, Kojo and Efua": a comma before the name joins a list only if the list goes on after it ("brb, kofi is…" does not)
      const listGoesOn = /^[ \t]{0,4}(?:,|(?:and|&)[ \t])/.test(after);
      const previous = wordBeforeConjunctionPattern.exec(before) ?? (isOneWord && listGoesOn ? listedWordBeforePattern.exec(before) : null);
      if (previous != null) {
        const start = person.start - before.length + previous.index;
        if (!taken.has(start) && isPartnerName(previous[1]!, name)) added.push(partnerAt(start, previous[1]!));
      }
    }

    for (const partner of added) taken.add(partner.start);
    partners.push(...added);
    frontier = added;
  }

  return partners;
}

function partnerAt(start: number, word: string): EntityCandidate {
  return { type: 'PERSON', start, end: start + word.length, score: 0.6, detector: 'person:coordinated' };
}

function isPartnerName(word: string, name: string) {
  const isLowercase = word === word.toLowerCase();
  if (isLowercase !== (name === name.toLowerCase()) || (!isLowercase && !/^\p{Lu}\p{Ll}/u.test(word))) return false;
  if (isNonNameWord(word) || nameLexicon.isAmbiguousName(word)) return false;

  return nameLexicon.isGivenName(word) || !nameLexicon.isDictionaryWord(word);
}
