import { readFile } from 'node:fs/promises';
import type Compromise from 'compromise';
import { supplementaryFamilyNames, supplementaryGivenNames, supplementaryPlaces } from './lexiconSupplement';

type CompromiseWorld = { model: { one: { lexicon: Record<string, string | string[]> } } };

/** compromise, and word lists read from its lexicon, a multi-culture given-name list and the supplement (all lower-case). */
export type LanguageModel = {
  nlp: typeof Compromise;
  givenNames: ReadonlySet<string>;
  /** Given names that are not English words ("priya", "tomasz"), so they read as names even in lower case */
  uncommonGivenNames: ReadonlySet<string>;
  /** word-list's English words (about 23 MB in memory), names among them: "will", "grace", "dispatcher" */
  englishWords: ReadonlySet<string>;
  /** Names only the multi-culture list knows; it also holds foreign words ("merci") and software names */
  listedOnlyGivenNames: ReadonlySet<string>;
  familyNames: ReadonlySet<string>;
  commonWords: ReadonlySet<string>;
  places: ReadonlySet<string>;
};

const givenNameTags = ['FirstName', 'MaleName', 'FemaleName'];
const nameTags = [...givenNameTags, 'LastName', 'Person', 'Honorific'];
const placeTags = ['City', 'Country', 'Region', 'Place'];

let model: LanguageModel | undefined;
let loading: Promise<void> | undefined;

/**
 * Imports compromise and reads its lexicon, once. Deferred to the first detection that needs language
 * analysis: the import alone takes about 300 ms, which start-up and structured-only detection should not pay.
 */
export function loadLanguageModel(): Promise<void> {
  loading ??= Promise.all([import('compromise'), loadGivenNameList(), loadEnglishWords()]).then(([{ default: nlp }, names, words]) => {
    model = buildModel(nlp, names, words);
  });
  return loading;
}

/** The languages of gender-detection-from-name's lists: about 67,000 given names from many cultures */
const givenNameListLanguages = ['en', 'fr', 'es', 'it', 'de', 'tr'] as const;

async function loadGivenNameList(): Promise<string[]> {
  const lists = await Promise.all(
    givenNameListLanguages.map(
      async (language) => ((await import(`gender-detection-from-name/names/${language}.js`)) as { default: Map<string, string> }).default
    )
  );
  return lists.flatMap((list) => [...list.keys()]);
}

/** word-list's 274,000 English words: a given name that is also one ("grace", "deploy") needs more than itself */
async function loadEnglishWords(): Promise<Set<string>> {
  const { default: wordListPath } = await import('word-list');
  return new Set((await readFile(wordListPath, 'utf8')).split('\n'));
}

export function isLanguageModelLoaded(): boolean {
  return model !== undefined;
}

/** The model; language detectors run only after `loadLanguageModel()` has resolved. */
export function languageModel(): LanguageModel {
  if (model === undefined) throw new Error('The language model is not loaded yet: await PiiDetector.loadLanguageAnalysis() first');
  return model;
}

function buildModel(nlp: typeof Compromise, givenNameList: readonly string[], englishWords: ReadonlySet<string>): LanguageModel {
  const givenNames = new Set<string>(supplementaryGivenNames.filter(Boolean));
  const familyNames = new Set<string>(supplementaryFamilyNames.filter(Boolean));
  const commonWords = new Set<string>();
  const places = new Set<string>(supplementaryPlaces);

  for (const [word, tagOrTags] of Object.entries((nlp.world() as CompromiseWorld).model.one.lexicon)) {
    const tags = Array.isArray(tagOrTags) ? tagOrTags : [tagOrTags];
    if (tags.some((tag) => givenNameTags.includes(tag))) givenNames.add(word);
    else if (tags.includes('LastName')) familyNames.add(word);
    else if (tags.some((tag) => placeTags.includes(tag))) places.add(word);
    else if (!tags.some((tag) => nameTags.includes(tag)) && !places.has(word)) commonWords.add(word);
  }

  const uncommonGivenNames = new Set<string>(supplementaryGivenNames.filter(Boolean));
  const listedOnlyGivenNames = new Set<string>();
  for (const name of givenNameList)
    if (
      /^[\p{Ll}\p{M}-]{2,}$/u.test(name) &&
      !englishWords.has(name) &&
      !commonWords.has(name) &&
      !places.has(name) &&
      !familyNames.has(name)
    ) {
      if (!givenNames.has(name)) listedOnlyGivenNames.add(name);
      givenNames.add(name);
      uncommonGivenNames.add(name);
    }

  return { nlp, givenNames, uncommonGivenNames, listedOnlyGivenNames, englishWords, familyNames, commonWords, places };
}
