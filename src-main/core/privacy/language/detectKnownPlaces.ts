import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { thingNounAfter } from './readName';

const capitalizedRunPattern =
  /(?<![\p{L}\p{M}\p{N}'’@._/-])\p{Lu}[\p{L}\p{M}'’.-]*(?:[ \t]{1,8}(?:de[ \t]{1,8}|do[ \t]{1,8}|es[ \t]{1,8})?\p{Lu}[\p{L}\p{M}'’.-]*){0,3}/gu;
const placePrepositionBefore = /(?:^|[^\p{L}])(?:in|from|to|near|at|via|across|around|visiting|outside|inside|toward|towards)[ \t]{1,8}$/iu;
const coordinatedPlace = /^[ \t]{0,8}(?:,|and|&)[ \t]{1,8}(\p{Lu}[\p{L}\p{M}'’.-]*)/u;
/**
 * A jurisdiction names a legal system, not where someone is: "the laws of England and Wales", "the courts of Ireland",
 * "incorporated in Delaware", "registered in Scotland".
 */
const jurisdictionBefore =
  /(?:(?:laws?|courts?|jurisdiction|tribunals?)[ \t]{1,4}of|(?:incorporated|registered|organi[sz]ed|domiciled|established|formed)[ \t]{1,4}(?:in|under))[ \t]{1,4}(?:the[ \t]{1,4})?(?:laws[ \t]{1,4}of[ \t]{1,4}(?:the[ \t]{1,4})?)?(?:(?:State|Commonwealth|Republic|Province|Kingdom)[ \t]{1,4}of[ \t]{1,4})?(?:\p{Lu}[\p{L}\p{M}'’.-]*[ \t]{1,4}(?:and|&)[ \t]{1,4})?$/iu;

/**
 * Finds places the lexicon knows, longest first ("Ho Chi Minh City" before "Ho"). A place that is also
 * a name or an everyday word ("Jordan", "Georgia", "Chad") needs a preposition or a neighbouring place.
 */
export function detectKnownPlaces(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const run of text.matchAll(capitalizedRunPattern)) {
    const words = [...run[0].matchAll(/\S+/g)];
    for (let first = 0; first < words.length;) {
      const place = longestKnownPlace(run[0], words, first);
      if (place == null) {
        first++;
        continue;
      }

      first += place.wordCount;
      const start = run.index + place.start;
      const end = run.index + place.end;
      if (everydayWordAfterPlace(text, end) || isJurisdiction(text, start, end)) continue;

      // "Baker Street" is a place as a whole; "Paris Agreement" is no place at all
      const thingNoun = thingNounAfter(text, end);
      if (thingNoun?.isPlaceNoun !== false && (!isAmbiguousPlace(text.slice(start, end)) || hasPlaceContext(text, start, end)))
        entities.push({ type: 'LOCATION', start, end: thingNoun?.end ?? end, score: 0.7, detector: 'location:lexicon' });
    }
  }

  return entities;
}

/** "a Delaware corporation", "an Ontario company": the place an entity is registered in */
const entityKindAfter =
  /^[ \t]{1,4}(?:corporation|company|limited[ \t]{1,4}liability[ \t]{1,4}company|llc|limited[ \t]{1,4}partnership|entity|statute|law)(?![\p{L}])/iu;

/** Whether the place at `start`…`end` names a legal system or where an entity is registered, rather than a location */
export function isJurisdiction(text: string, start: number, end: number) {
  return jurisdictionBefore.test(text.slice(Math.max(0, start - 80), start)) || entityKindAfter.test(text.slice(end, end + 40));
}

/** Kinds of place that may follow a place's name ("Lagos State", "Kent County") */
const placeKindWords = new Set([
  'state',
  'province',
  'county',
  'city',
  'district',
  'region',
  'prefecture',
  'municipality',
  'borough',
  'oblast'
]);

/**
 * A capitalised everyday word right after a place makes a product or an event of it: "Denver Boot", "Oslo Jacket",
 * "London Marathon". Names, places, kinds of place and days stay ("Paris Texas", "Lagos State", "Oslo Monday").
 */
export function everydayWordAfterPlace(text: string, end: number) {
  const word = /^[ \t](\p{Lu}[\p{L}\p{M}'’-]*)/u.exec(text.slice(end, end + 32))?.[1];
  return (
    word != null &&
    nameLexicon.isDictionaryWord(word) &&
    !nameLexicon.isPlace(word) &&
    !nameLexicon.isKnownName(word) &&
    !placeKindWords.has(word.toLowerCase()) &&
    !/^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight)$/i.test(word)
  );
}

function longestKnownPlace(run: string, words: RegExpExecArray[], first: number) {
  for (let wordCount = Math.min(4, words.length - first); wordCount >= 1; wordCount--) {
    const last = words[first + wordCount - 1]!;
    const start = words[first]!.index;
    const candidate = run.slice(start, last.index + last[0].length).replace(/[.'’]+$/, '');
    if (nameLexicon.isPlace(candidate)) return { start, end: start + candidate.length, wordCount };
  }

  return undefined;
}

function isAmbiguousPlace(place: string) {
  return !/\s/.test(place) && (nameLexicon.isKnownName(place) || nameLexicon.couldBeGivenName(place));
}

function hasPlaceContext(text: string, start: number, end: number) {
  if (placePrepositionBefore.test(text.slice(Math.max(0, start - 16), start))) return true;

  const neighbour = coordinatedPlace.exec(text.slice(end, end + 40))?.[1];
  return neighbour != null && nameLexicon.isPlace(neighbour) && !isAmbiguousPlace(neighbour);
}
