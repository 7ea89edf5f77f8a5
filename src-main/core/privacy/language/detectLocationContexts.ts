import type { EntityCandidate } from '../types';
import { eitherCase } from './eitherCase';
import { nameLexicon } from './nameLexicon';

const placeName = String.raw`[\p{Lu}][\p{L}\p{M}'’.-]+(?:[ \t]{1,8}(?:de[ \t]{1,8}|do[ \t]{1,8})?[\p{Lu}][\p{L}\p{M}'’.-]+){0,2}`;
/** Words of living, working and travelling somewhere; a sentence may start with one ("Visiting Ostrava next week") */
const residenceWords =
  'lives? living lived moved moving relocated relocating based located visiting born residing resides? works? working worked ' +
  'stuck driving flying flew travell?ing hiking near headquartered';
/** Words of a journey, which name a place only with a preposition after them: "flight to Tromsø", "layover in Oslo" */
const journeyWords =
  'flights? fly train bus coach ferry drive trip travel journey route tickets? booked arriving arrives? arrived departing ' +
  'departs? departure leaving heading returning transfer connection layover stopover landing landed staying stay nights? pickup';
const premisesWords = 'flat apartment house home place office offices hotel party trip school campus branch store shop';

const locationCuePattern = new RegExp(
  String.raw`(?:['’](?:re|m)[ \t]{1,8}(?:at|in)|(?<![\p{L}])(?:${eitherCase(residenceWords)}|(?:${eitherCase(journeyWords)})(?=[ \t]{1,8}(?:to|from|in|at|via|into)[ \t])|(?:${eitherCase(premisesWords)})[ \t]{1,8}(?:in|at|near)|(?:are|am|is)[ \t]{1,8}(?:at|in)))[ \t]{1,8}(?:(?:in|to|from|near|at|on|around)[ \t]{1,8})?(?:the[ \t]{1,8})?(${placeName})`,
  'gu'
);
/** Natural features and named streets name themselves: "Victoria Falls", "Lake Victoria", "MG Road", "Heathrow Airport" */
const geographicFeaturePattern = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:[\p{Lu}][\p{L}\p{M}'’.-]+[ \t]{1,4}){1,3}(?:Canyon|Falls|River|Lake|Mountains?|Valley|Desert|Sea|Ocean|Peninsula|Forest|Glacier|Islands?|Bay|Gulf|Coast|Highlands|Road|Street|Avenue|Lane|Boulevard|Square|Station|Airport|Bridge|Beach|Market)|(?:Lake|Mount|Mt\.|Cape|Isle[ \t]{1,4}of|Gulf[ \t]{1,4}of|Bay[ \t]{1,4}of)[ \t]{1,4}[\p{Lu}][\p{L}\p{M}'’.-]+)(?![\p{L}])`,
  'gu'
);
/** "moved to March 14", "moving to Friday": times, not places */
const calendarWordPattern =
  /^(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|q[1-4]|h[12]|tomorrow|today|tonight|next|last|this|noon|midnight|christmas|easter)$/i;
const sequelPattern = new RegExp(String.raw`^[ \t]{1,8}(?:to|and)[ \t]{1,8}(${placeName})`, 'u');

/**
 * Finds places introduced by movement or residence words ("lives in Pune", "relocated from Zagreb to Munich")
 * and places named by their kind ("Victoria Falls", "Lake Victoria", "MG Road").
 */
export function detectLocationContexts(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(locationCuePattern)) {
    const place = match[1]!;
    let start = match.index + match[0].length - place.length;
    let end = start + place.length;
    if (isPlausiblePlace(place)) entities.push({ type: 'LOCATION', start, end, score: 0.7, detector: 'location:context' });

    const sequel = sequelPattern.exec(text.slice(end, end + 64));
    if (sequel != null && isPlausiblePlace(sequel[1]!)) {
      start = end + sequel[0].length - sequel[1]!.length;
      end = start + sequel[1]!.length;
      entities.push({ type: 'LOCATION', start, end, score: 0.7, detector: 'location:context' });
    }
  }

  for (const match of text.matchAll(geographicFeaturePattern)) {
    const feature = match[0].replace(/^(?:The|A|An|In|At|On|To|From|Near)[ \t]{1,4}/, '');
    const start = match.index + match[0].length - feature.length;
    entities.push({ type: 'LOCATION', start, end: start + feature.length, score: 0.7, detector: 'location:feature' });
  }

  return entities;
}

function isPlausiblePlace(place: string) {
  const words = place.split(/[ \t]+/);
  if (calendarWordPattern.test(words[0]!)) return false;

  const looksLikeCode = words.some((word) => /\p{Ll}\p{Lu}/u.test(word)) || (words.length === 1 && /^\p{Lu}{1,3}$/u.test(place));
  return (
    nameLexicon.isPlace(place) ||
    (!looksLikeCode && !words.every((word) => nameLexicon.isCommonWord(word) || nameLexicon.isKnownName(word)))
  );
}
