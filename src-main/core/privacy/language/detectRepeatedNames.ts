import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { isNonNameWord } from './readName';

const nameWordPattern = /[\p{Lu}][\p{L}\p{M}'’-]{2,}/gu;
const mentionPattern = /(?<![\p{L}\p{M}\p{N}@._/-])[\p{Lu}][\p{L}\p{M}-]{2,}(?![\p{L}\p{M}\p{N}@_/-])/gu;

/**
 * Later mentions of a name already found: once "Aigerim Seitkali" or the speaker "Rustam" is a person, so is
 * "Aigerim" alone further on. Only words that cannot be everyday words ("Will", "Grace") are carried over.
 */
export function detectRepeatedNames(text: string, found: readonly EntityCandidate[]): EntityCandidate[] {
  const nameWords = new Set<string>();
  for (const person of found)
    if (person.type === 'PERSON')
      for (const [word] of text.slice(person.start, person.end).matchAll(nameWordPattern))
        if (!isNonNameWord(word) && !nameLexicon.isDictionaryWord(word) && !nameLexicon.isAmbiguousName(word))
          nameWords.add(word.replace(/['’]s$/, ''));

  if (nameWords.size === 0) return [];

  // One pass over the capitalised words, however many names there are
  const mentions: EntityCandidate[] = [];
  for (const match of text.matchAll(mentionPattern))
    if (nameWords.has(match[0]))
      mentions.push({ type: 'PERSON', start: match.index, end: match.index + match[0].length, score: 0.6, detector: 'person:repeated' });

  return mentions;
}
