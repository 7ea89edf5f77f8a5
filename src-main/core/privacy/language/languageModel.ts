import type Compromise from 'compromise';
import { supplementaryFamilyNames, supplementaryGivenNames, supplementaryPlaces } from './lexiconSupplement';

type CompromiseWorld = { model: { one: { lexicon: Record<string, string | string[]> } } };

/** compromise, and word lists read from its lexicon plus the multicultural supplement (all lower-case). */
export type LanguageModel = {
  nlp: typeof Compromise;
  givenNames: ReadonlySet<string>;
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
  loading ??= import('compromise').then(({ default: nlp }) => {
    model = buildModel(nlp);
  });
  return loading;
}

export function isLanguageModelLoaded(): boolean {
  return model !== undefined;
}

/** The model; language detectors run only after `loadLanguageModel()` has resolved. */
export function languageModel(): LanguageModel {
  if (model === undefined) throw new Error('The language model is not loaded yet: await PiiDetector.loadLanguageAnalysis() first');
  return model;
}

function buildModel(nlp: typeof Compromise): LanguageModel {
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

  return { nlp, givenNames, familyNames, commonWords, places };
}
