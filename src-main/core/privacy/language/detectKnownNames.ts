import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { isNonNameWord, isPlaceNoun, readName, thingNounAfter } from './readName';

const capitalizedWordPattern = /(?<![\p{L}\p{M}\p{N}'’@._/-])\p{Lu}[\p{L}\p{M}]*(?:['’-][\p{L}\p{M}]+)*/gu;
const initialPattern = /^\p{Lu}\.?$/u;

/** Words after which a capitalised month, modal or noun keeps its everyday sense ("in May", "the Will") */
const everydaySenseBefore =
  /(?:^|[^\p{L}])(?:\d{1,4}(?:st|nd|rd|th)?|in|on|at|by|since|until|till|from|of|during|before|after|next|last|this|that|the|a|an|every|each|early|late|mid|new|old|to|for|per|via|into|our|your|my)[ \t]{1,8}$/iu;
/** Words before a foreign word or a software name that the broad given-name list also holds ("on Django", "the Merci") */
const thingSenseBefore =
  /(?:^|[^\p{L}])(?:in|on|of|the|a|an|via|into|using|use|uses|run|runs|running|our|your|my|this|that|its)[ \t]{1,8}$/iu;
/** Words before a name that make it part of a place ("Lake Victoria", "Mount Grace", "Port Elizabeth") */
const placePrefixBefore = /(?:^|[^\p{L}])(?:Lake|Mount|Mt\.?|Fort|Port|Cape|Saint|St\.?|San|Santa|Isle|Gulf|Bay)[ \t]{1,4}$/u;

/** What follows a name but never a month or modal: "Grace and I", "Will says", "Jordan locked himself out" */
const nameUseAfter =
  /^[ \t]{1,8}(?:and[ \t]{1,8}(?:I|me)|says|said|asked|told|wrote|thinks|thought|wants|wanted|mentioned|confirmed|agreed|called|texted|emailed|replied|forgot|locked|left|joined)(?![\p{L}])/u;

/**
 * Finds names through the lexicon: a known given name, optionally followed by more name words,
 * or a known family name followed by a known name (family-name-first order, "Zhang Wei").
 * Single upper-case words and names that are also everyday words need a second name word.
 */
export function detectKnownNames(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  let coveredUntil = 0;
  for (const match of text.matchAll(capitalizedWordPattern)) {
    if (match.index < coveredUntil) continue;

    const word = match[0].replace(/['’]s$/, '');
    const isUpperCase = word === word.toUpperCase();
    const isUnambiguousGivenName = nameLexicon.isGivenName(word) && !nameLexicon.isAmbiguousName(word);
    const isFamilyName = nameLexicon.isFamilyName(word) && !nameLexicon.isAmbiguousName(word);
    if (!isUnambiguousGivenName && !isFamilyName && !nameLexicon.couldBeGivenName(word) && !initialPattern.test(word)) continue;

    const name = readName(text, match.index, { lowercase: 'never' });
    if (
      name == null ||
      placePrefixBefore.test(text.slice(Math.max(0, match.index - 12), match.index)) ||
      thingNounAfter(text, name.end) != null ||
      // "Hyde Park": a place noun after a name only the broad list knows makes a place, even one that is a surname
      (nameLexicon.isListedOnlyGivenName(word) && name.words.length === 2 && isPlaceNoun(name.words[1]!))
    )
      continue;

    const wordCount = name.words.length;
    const secondWord = name.words[1];
    const secondWordIsName = secondWord != null && nameLexicon.isKnownName(secondWord);
    const accepted = initialPattern.test(word)
      ? secondWordIsName
      : isUnambiguousGivenName
        ? wordCount >= 2 ||
          (!isUpperCase && (!nameLexicon.isListedOnlyGivenName(word) || !hasEverydaySense(text, name.start, name.end, thingSenseBefore)))
        : isFamilyName
          ? secondWordIsName
          : secondWord != null
            ? secondWordIsName || !nameLexicon.isCommonWord(secondWord)
            : !isUpperCase && isUsedAsName(text, name.start, name.end);
    if (!accepted) continue;

    entities.push({
      type: 'PERSON',
      start: name.start,
      end: name.end,
      score: isUnambiguousGivenName || isFamilyName ? (wordCount >= 2 ? 0.8 : 0.65) : 0.7,
      detector: 'person:lexicon'
    });
    coveredUntil = name.end;
  }

  return [...entities, ...detectUnknownNamePairs(text), ...detectUnknownNamesByUse(text)];
}

/** A single title-case word, for names no list holds */
const titleCaseWordPattern = /(?<![\p{L}\p{M}\p{N}'’@._/#-])\p{Lu}\p{Ll}[\p{Ll}\p{M}]+(?![\p{L}\p{M}\p{N}@_/-]|\.\p{L})/gu;
/** What a person does after their name: "Radosław called back", "Mette will send the draft", "Bolaji is on leave" */
const personVerbAfter =
  /^(?:['’]s[ \t]+(?:wife|husband|son|daughter|mother|father|mum|mom|dad|brother|sister|phone|number|email|address|laptop|desk|manager|team)|[ \t]{1,4}(?:said|says|called|phoned|rang|emailed|texted|wrote|asked|told|wants|wanted|needs|needed|will|would|agreed|confirmed|mentioned|replied|reported|reports|noted|explained|thinks|thought|feels|felt|prefers|signed|approved|complained|handles|handled|(?:is|was)[ \t]{1,4}(?:on[ \t]{1,4}leave|off|out|away|sick|back|here|late))(?![\p{L}]))/u;
/** Words before a name that only people follow: "according to Šárka", "spoke to Tuva", "per Kjell", "told Pirjo" */
const personCueBefore =
  /(?:^|[^\p{L}])(?:according[ \t]{1,4}to|per|spoke[ \t]{1,4}(?:to|with)|talked[ \t]{1,4}(?:to|with)|told|asked|ask|tell|met|thanks|thank[ \t]{1,4}you|handover[ \t]{1,4}from|seen[ \t]{1,4}with|accompanied[ \t]{1,4}by|on[ \t]{1,4}behalf[ \t]{1,4}of)[ \t]{1,4}$/iu;

/**
 * A single word no list knows used as a person: before what people do, or after words only people follow, in English
 * text. Words of the dictionaries, places and roles never count, so "Support will call" and "Zoom said" stay prose.
 */
function detectUnknownNamesByUse(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(titleCaseWordPattern)) {
    const word = match[0];
    // Most capitalised words are dictionary words or known names, which a set lookup rules out before any pattern
    if (nameLexicon.isDictionaryWord(word) || nameLexicon.isKnownName(word) || isNonNameWord(word)) continue;

    const end = match.index + word.length;
    const isUsedAsPerson =
      personVerbAfter.test(text.slice(end, end + 24)) || personCueBefore.test(text.slice(Math.max(0, match.index - 24), match.index));
    if (!isUsedAsPerson || !isEnglishContext(text, match.index, end)) continue;

    entities.push({ type: 'PERSON', start: match.index, end, score: 0.6, detector: 'person:unknownNameUse' });
  }

  return entities;
}

/** Two or three title-case words in a row: "Gunnhild Bakke", "Minseo Kang Ji" (no "JavaScript", no "NASA") */
const titleCaseRunPattern =
  /(?<![\p{L}\p{M}\p{N}'’@._/#-])\p{Lu}\p{Ll}[\p{Ll}\p{M}'’-]+(?:[ \t]\p{Lu}\p{Ll}[\p{Ll}\p{M}'’-]+){1,2}(?![\p{L}\p{M}\p{N}@_/-]|\.\p{L})/gu;
const lowercaseWordPattern = /(?<![\p{L}\p{M}])\p{Ll}{2,}(?![\p{L}\p{M}])/gu;

/**
 * Names that no list knows: a run of title-case words none of which is an English word, a place or a word that
 * rules out a name, in English text (where such words are names; in German every noun is capitalised).
 */
function detectUnknownNamePairs(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(titleCaseRunPattern)) {
    const words = match[0].split(/[ \t]/);
    const end = match.index + match[0].length;
    if (
      words.some((word) => isNonNameWord(word) || nameLexicon.isDictionaryWord(word)) ||
      nameLexicon.isPlace(match[0]) ||
      thingNounAfter(text, end) != null ||
      !isEnglishContext(text, match.index, end)
    )
      continue;

    entities.push({ type: 'PERSON', start: match.index, end, score: 0.6, detector: 'person:unknownName' });
  }

  return entities;
}

/** Whether most lower-case words around a span are English */
function isEnglishContext(text: string, start: number, end: number) {
  const around = text.slice(Math.max(0, start - 160), start) + ' ' + text.slice(end, end + 160);
  const words = around.match(lowercaseWordPattern) ?? [];
  if (words.length < 3) return false;

  return words.filter((word) => nameLexicon.isEnglishWord(word)).length >= words.length * 0.75;
}

/**
 * Whether a lone word that is also a month, modal or noun ("Bill", "Will", "Grace") is used as a name:
 * capitalised mid-sentence without a word that gives it its everyday sense, or followed by what only a person does.
 */
function isUsedAsName(text: string, start: number, end: number) {
  if (nameUseAfter.test(text.slice(end, end + 16))) return true;

  const previousChar = text
    .slice(Math.max(0, start - 16), start)
    .trimEnd()
    .at(-1);
  const isSentenceStart = previousChar == null || !/[\p{L}\p{N},&]/u.test(previousChar);
  return !isSentenceStart && !hasEverydaySense(text, start, end);
}

/** A word before that gives a lone word its everyday sense ("in May", "the Will"), or a number after ("Thu, 12 May") */
function hasEverydaySense(text: string, start: number, end: number, before = everydaySenseBefore) {
  return before.test(text.slice(Math.max(0, start - 16), start)) || /^[ \t]{0,8},?[ \t]{0,8}\d/.test(text.slice(end, end + 6));
}
