import type { EntityCandidate, PiiType } from '../types';
import { languageModel } from './languageModel';
import { nameLexicon } from './nameLexicon';
import { everydayWordAfterPlace, isJurisdiction } from './detectKnownPlaces';
import { hasNameCasing, isNonNameWord, thingNounAfter } from './readName';

type CompromiseTerm = { text: string; tags: string[]; offset: { start: number; length: number } };
type CompromiseMatch = { terms: CompromiseTerm[] };

const honorificPrefixPattern = /^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Mme|Mlle|Herr|Frau|Sr|Sra)\.?\s+)+/i;
const trailingPunctuationPattern = /(?:['’]s)?[\s\p{P}\p{S}]*$/u;
const leadingPunctuationPattern = /^[\s\p{P}\p{S}]*/u;
const nameTags = new Set(['FirstName', 'LastName', 'MaleName', 'FemaleName', 'Honorific']);
const termDetails = { offset: true, terms: { offset: true, tags: true } };

/**
 * Names, places and organisations found by compromise's tagger. compromise is English-centred and slow
 * (about 5 ms per kilobyte), so callers feed it small windows; its guesses score below rule-based finds.
 */
export function detectNamedEntities(text: string): EntityCandidate[] {
  const prose = selectProseLines(text);
  if (prose.text.length === 0) return [];

  const doc = languageModel().nlp(prose.text);
  return [
    ...toCandidates(prose.text, doc.people().json(termDetails) as CompromiseMatch[], 'PERSON'),
    ...toCandidates(prose.text, doc.places().json(termDetails) as CompromiseMatch[], 'LOCATION'),
    ...toCandidates(prose.text, doc.organizations().json(termDetails) as CompromiseMatch[], 'ORGANIZATION')
  ].flatMap((candidate) => {
    const mapped = prose.toTextSpan(candidate);
    return mapped == null ? [] : [{ ...candidate, ...mapped }];
  });
}

type LineMapping = { proseStart: number; textStart: number; length: number };

/**
 * Keeps only lines worth tagging: ones that may hold a proper name and read like prose rather than code,
 * logs or table rows (which the pattern detectors cover). This saves most of compromise's cost on
 * technical text. Returns the joined lines and a mapping of spans back to `text`.
 */
function selectProseLines(text: string) {
  const lines: LineMapping[] = [];
  let prose = '';
  for (const line of text.matchAll(/[^\n]+/g)) {
    if (!mayHoldProperName(line[0]) || !readsLikeProse(line[0])) continue;

    if (prose.length > 0) prose += '\n';

    lines.push({ proseStart: prose.length, textStart: line.index, length: line[0].length });
    prose += line[0];
  }

  return {
    text: prose,

    /** A span is mapped within the line it starts in, so it never stretches over skipped lines. */
    toTextSpan({ start, end }: { start: number; end: number }) {
      const line = lines.findLast((candidate) => candidate.proseStart <= start);
      if (line == null) return undefined;

      const lineEnd = line.proseStart + line.length;
      return { start: line.textStart + start - line.proseStart, end: line.textStart + Math.min(end, lineEnd) - line.proseStart };
    }
  };
}

/** Capitalised words after a lower-case word, digit or comma ("met Priya"); sentence starts say nothing. */
const midSentenceCapitalizedWordPattern = /[\p{Ll}\p{N},;:)\]]['"’)]?[ \t]{1,8}(\p{Lu}[\p{L}\p{M}'’-]*)/gu;

/**
 * Whether a line may hold a proper name the lexicon cannot explain: a capitalised word mid-sentence that is not
 * a known name, place or everyday word. Short lines count whole, as signatures and headers are names on their own.
 */
function mayHoldProperName(line: string) {
  if (line.length <= 60) return /\p{Lu}/u.test(line);

  for (const match of line.matchAll(midSentenceCapitalizedWordPattern)) {
    const word = match[1]!;
    if (word !== 'I' && !nameLexicon.isKnownName(word) && !nameLexicon.isPlace(word) && !nameLexicon.isCommonWord(word)) return true;
  }

  return false;
}

function readsLikeProse(line: string) {
  let letterOrSpace = 0;
  for (const char of line) if (char === ' ' || char.toLowerCase() !== char.toUpperCase()) letterOrSpace++;

  return letterOrSpace >= line.length * 0.8 && !/[{}=;<>]|\w\(|[A-Za-z]_[A-Za-z]/.test(line);
}

function toCandidates(text: string, matches: CompromiseMatch[], type: PiiType): EntityCandidate[] {
  const candidates: EntityCandidate[] = [];
  for (const match of matches) {
    // Match-level offsets can include surrounding punctuation; term offsets are exact
    const firstTerm = match.terms[0];
    const lastTerm = match.terms.at(-1);
    if (firstTerm == null || lastTerm == null) continue;

    let start = firstTerm.offset.start;
    let end = lastTerm.offset.start + lastTerm.offset.length;
    const raw = text.slice(start, end);
    const withoutLeading = raw.replace(leadingPunctuationPattern, '');
    start += raw.length - withoutLeading.length;
    const withoutHonorific = type === 'PERSON' ? withoutLeading.replace(honorificPrefixPattern, '') : withoutLeading;
    start += withoutLeading.length - withoutHonorific.length;
    end = start + withoutHonorific.replace(trailingPunctuationPattern, '').length;
    if (end <= start) continue;

    const score = scoreMatch(text.slice(start, end), match, type);
    if (score == null) continue;

    // A following "Street" or "Falls" makes a place of the whole; "Agreement" or "Hotel" makes it no person or place
    const thingNoun = type === 'ORGANIZATION' ? undefined : thingNounAfter(text, end);
    if (type === 'LOCATION' && (everydayWordAfterPlace(text, end) || isJurisdiction(text, start, end))) continue;
    if (thingNoun == null) candidates.push({ type, start, end, score, detector: `compromise:${type.toLowerCase()}` });
    else if (type === 'LOCATION' && thingNoun.isPlaceNoun)
      candidates.push({ type, start, end: thingNoun.end, score, detector: 'compromise:location' });
  }

  return candidates;
}

/** Connectors allowed in lower case inside a proper name ("Bank of America", "São Paulo do Sul") */
const lowercaseConnectors = new Set(['of', 'and', 'de', 'da', 'do', 'del', 'la', 'le', 'van', 'von', 'der', 'al', 'el', 'bin']);

function scoreMatch(spanText: string, match: CompromiseMatch, type: PiiType) {
  const words = spanText.split(/\s+/);
  const hasNonNameWord = type === 'PERSON' ? words.some((word) => isNonNameWord(word)) : words.every((word) => isNonNameWord(word));
  // Code, markup and CSV cells ("Nom,Prénom,Ville") are no names
  if (/[\d@/\\_=<>{}[\]`":;|]|,(?=\S)|(?:^|\s)['’]/.test(spanText) || hasNonNameWord) return undefined;

  // compromise also tags lower-case words, code identifiers ("aria", "JavaScript") and acronyms ("HTTP");
  // it keeps proper-name shapes, and lower-case words only in phrases the lexicon knows word by word ("wei zhang")
  const isLexiconBacked = (word: string) => (type === 'PERSON' ? nameLexicon.isKnownName(word) : nameLexicon.isPlace(word));
  const hasProperNameShape = words.every(
    (word) =>
      lowercaseConnectors.has(word) ||
      word === '&' ||
      hasNameCasing(word) ||
      (words.length >= 2 && /^\p{Ll}+$/u.test(word) && isLexiconBacked(word) && !nameLexicon.isAmbiguousName(word))
  );
  const isLoneAcronym = words.length === 1 && /^\p{Lu}{1,5}$/u.test(words[0]!);
  if (!hasProperNameShape || isLoneAcronym) return undefined;

  if (type !== 'PERSON')
    return words.length === 1 && nameLexicon.isCommonWord(words[0]!) && !nameLexicon.isPlace(words[0]!) ? undefined : 0.7;

  const hasNameTag = match.terms.some((term) => term.tags.some((tag) => nameTags.has(tag)));
  // A lone word that is also a month, modal or place ("May", "Will", "Jordan") needs a rule to back it
  if (words.length === 1 && nameLexicon.isAmbiguousName(words[0]!)) return undefined;
  // …and so does a lone dictionary word the name lexicon does not know ("Rep", "Tech"), which compromise guessed at
  if (words.length === 1 && nameLexicon.isEnglishWord(words[0]!) && !nameLexicon.isKnownName(words[0]!)) return undefined;

  return hasNameTag ? 0.7 : 0.6;
}
