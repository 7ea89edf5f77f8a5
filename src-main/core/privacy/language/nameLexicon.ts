import { languageModel } from './languageModel';

/** Words that are names only with stronger evidence than capitalisation: months, modals, common nouns, places. */
const ambiguousNames = new Set(
  (
    'may june april august will bill grace hope faith joy mark rose jordan georgia paris florence victoria ' +
    'chelsea sydney austin dallas phoenix carol frank pat sue dawn summer autumn sky river angel max lily ivy ruby ' +
    'jade amber crystal destiny guy chase drew gene rich art bob sunny happy precious patience charity honor ' +
    'royal king prince major sterling young long brown white black green gray grey rice price bishop baker cook ' +
    'page rivers hunter penny holly iris olive basil sage cliff dale glen heath lane ray van an'
  ).split(' ')
);

function normalize(word: string) {
  return word.toLowerCase().replace(/['’]s$/, '');
}

/** "léa" → "lea", "jiří" → "jiri", "søren" → "soren": the lexicon's entries are often written without diacritics */
function fold(word: string) {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/ð/g, 'd')
    .replace(/þ/g, 'th');
}

/** Capitalised words repeat across a document; the ending rule is costlier than a set lookup */
const familyNameCache = new Map<string, boolean>();
const maxCachedWords = 20_000;

function hasEntry(set: ReadonlySet<string>, normalized: string) {
  if (set.has(normalized)) return true;

  if (!/[^\x20-\x7e]/.test(normalized)) return false;

  const folded = fold(normalized);
  return folded !== normalized && set.has(folded);
}

/**
 * Family-name endings of Slavic, Baltic, Nordic, Greek and Romanian names ("Wiśniewska", "Jónsdóttir", "Petrović").
 * Letters with these diacritics or endings rarely end English words, so such words count as family names.
 */
const familyNameEndingPattern =
  /(?:ová|ská|cká|ský|cký|owski|owska|ewski|ewska|inski|inska|ński|ńska|wicz|czyk|czak|ović|ević|ić|enko|chuk|dóttir|dottir|sdóttir|sson|poulos|opoulou|akis|escu|eanu)$/u;

/** Lookups over compromise's lexicon plus the multicultural supplement; words and phrases match case-insensitively. */
export const nameLexicon = {
  isGivenName(word: string) {
    const { givenNames } = languageModel();
    const normalized = normalize(word);
    return (
      hasEntry(givenNames, normalized) || (normalized.includes('-') && normalized.split('-').every((part) => hasEntry(givenNames, part)))
    );
  },

  isFamilyName(word: string) {
    const known = familyNameCache.get(word);
    if (known != null) return known;

    const { familyNames } = languageModel();
    const normalized = normalize(word);
    const result =
      normalized.split('-').every((part) => hasEntry(familyNames, part)) ||
      (normalized.length >= 5 && familyNameEndingPattern.test(normalized) && !this.isCommonWord(normalized));
    if (familyNameCache.size >= maxCachedWords) familyNameCache.clear();
    familyNameCache.set(word, result);
    return result;
  },

  /** A given name that is not also an English word (unlike compromise's "jack", "rob", "grant") */
  isUncommonGivenName(word: string) {
    return hasEntry(languageModel().uncommonGivenNames, normalize(word));
  },

  /** A given name only the broad multi-culture list knows, which alone needs a sign that it names someone */
  isListedOnlyGivenName(word: string) {
    return hasEntry(languageModel().listedOnlyGivenNames, normalize(word));
  },

  isKnownName(word: string) {
    return this.isGivenName(word) || this.isFamilyName(word);
  },

  /** A name that is also an everyday word or place ("May", "Bill", "Jordan") */
  isAmbiguousName(word: string) {
    const { commonWords, places } = languageModel();
    const normalized = normalize(word);
    return ambiguousNames.has(normalized) || commonWords.has(normalized) || places.has(normalized);
  },

  /** A given name, or an everyday word that is also a common given name ("Will", "May") */
  couldBeGivenName(word: string) {
    const { givenNames } = languageModel();
    const normalized = normalize(word);
    return hasEntry(givenNames, normalized) || ambiguousNames.has(normalized);
  },

  /** In word-list's English dictionary, which holds roles ("dispatcher") that compromise's lexicon lacks */
  isEnglishWord(word: string) {
    return languageModel().englishWords.has(normalize(word));
  },

  /** In either dictionary: word-list's English words or compromise's everyday words and places */
  isDictionaryWord(word: string) {
    return this.isEnglishWord(word) || this.isCommonWord(word);
  },

  isCommonWord(word: string) {
    const { commonWords, places } = languageModel();
    const normalized = normalize(word);
    return commonWords.has(normalized) || places.has(normalized);
  },

  /** `place` may span several words ("Ho Chi Minh City") */
  isPlace(place: string) {
    return hasEntry(languageModel().places, normalize(place).replace(/\s+/g, ' '));
  }
};
