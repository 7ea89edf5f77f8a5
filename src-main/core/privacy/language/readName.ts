import { nameLexicon } from './nameLexicon';

export type LowercaseNames =
  /** Lower-case words are never names */
  | 'never'

  /** Lower-case words count when the lexicon knows them as names */
  | 'knownNames'

  /** Lower-case words count unless they are everyday words; for cues as strong as "my name is" */
  | 'uncommonWords';

export type NameSpan = { start: number; end: number; words: string[] };

const wordPattern = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*\.?/uy;
const nameParticles = new Set([
  'van',
  'von',
  'de',
  'da',
  'di',
  'del',
  'della',
  'der',
  'den',
  'du',
  'la',
  'le',
  'bin',
  'bint',
  'ibn',
  'al',
  'el',
  'dos',
  'das',
  'do',
  'y',
  'ter',
  'ten',
  'zu',
  'ben',
  'abu',
  'st',
  'mac'
]);

/** Nouns that turn the name before them into the name of a place: "Baker Street", "Hyde Park", "Victoria Falls" */
const placeNouns = new Set(
  (
    'street road avenue lane drive court way place boulevard falls river lake bay island islands park mountain ' +
    'mountains valley beach bridge station airport hall square tower stadium center centre memorial building'
  ).split(' ')
);

/** Words that end or rule out a name: roles, departments, pronouns, greetings, form labels, place nouns. */
const nonNameWords = new Set(
  (
    [...placeNouns].join(' ') +
    ' ' +
    'the a an and or but nor of for to in on at by with from as is are was were be been am i me my mine we us our ' +
    'you your yours he him his she her hers they them their it its this that these those there here who whom ' +
    'all everyone everybody anyone someone team teams guys folks people friends sir madam maam colleague colleagues ' +
    'customer customers client clients user users member members support service services desk front department dept ' +
    'manager management director engineer engineering onboarding recruiting recruitment reservations claims sales ' +
    'billing accounts accounting finance payroll care office admin administrator staff hr it ops operations info ' +
    'noreply reception talent human resources security legal marketing helpdesk agent bot assistant system ' +
    'mr mrs ms miss mx dr prof professor sir dame herr frau mme mlle sr sra ' +
    'hi hello hey dear thanks thank regards best cheers sincerely yours love morning afternoon evening greetings ' +
    'monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday ' +
    're fwd fw subject issue notes note message address rent property reference panel tests plan allergies sex ' +
    'callback directions date time phone email tel mobile fax status priority ticket order invoice account ' +
    'patient doctor nurse tenant landlord borrower guarantor executor beneficiary applicant candidate ' +
    'hospital clinic bank university inc ltd llc gmbh practice surgery dental pharmacy associates solicitors chambers ' +
    'agency trading industries holdings group partners logistics technologies solutions systems software consulting ' +
    'ok okay yes no not please sorry welcome congrats congratulations lol omg btw fyi asap ' +
    'merci danke gracias grazie tack takk kiitos obrigado obrigada bonjour salut hola hallo ciao namaste salaam ' +
    'saludos atentamente cordialement shukran ' +
    'agreement accord treaty act law sale day festival award prize cup games ' +
    'hotel school college church cathedral museum library theatre theater foundation institute ' +
    'phd md mba ceo cto cfo coo vp svp evp esq jr ii iii'
  ).split(' ')
);

/**
 * Reads a personal name starting at `index` (after optional spaces): up to `maxWords` name words in one casing,
 * joined by single spaces, with initials and particles ("van", "de", "bin") allowed between them.
 */
export function readName(
  text: string,
  index: number,
  {
    lowercase,
    maxWords = 4
  }: {
    lowercase: LowercaseNames;
    maxWords?: number;
  }
): NameSpan | undefined {
  let position = index;
  while (text[position] === ' ' || text[position] === '\t') position++;

  const start = position;
  const words: string[] = [];
  let end = start;
  let nameWordCount = 0;
  let casing: 'title' | 'upper' | 'lower' | undefined;

  while (nameWordCount < maxWords) {
    wordPattern.lastIndex = position;
    const match = wordPattern.exec(text);
    if (match == null) break;

    // A word glued to digits or code ("EC1A", "user_1") is not a name
    if (/[\p{N}_@/]/u.test(text[position + match[0].length] ?? '')) break;

    const possessive = /['’]s$/.test(match[0]) ? match[0].slice(0, -2) : undefined;
    const word = possessive ?? (match[0].length > 2 && match[0].endsWith('.') ? match[0].slice(0, -1) : match[0]);
    const lower = word.toLowerCase();
    const isInitial = /^\p{Lu}\.?$/u.test(word);
    const wordCasing = casingOf(word);

    // A family name may be an everyday word ("Park"), and so may a name part after a particle ("Nguyen Van An")
    const followsParticle = words.length > 0 && nameParticles.has(words.at(-1)!.toLowerCase());
    const isNamePartAnyway =
      words.length > 0 &&
      ((wordCasing === 'title' && nameLexicon.isFamilyName(word)) || (followsParticle && nameLexicon.isKnownName(word)));
    // "deploy-bot", "ops-team": a hyphenated word ending in a role is an account, not a name
    if ((nonNameWords.has(lower.replace(/\.$/, '')) || nonNameWords.has(lower.split('-').at(-1)!)) && !isNamePartAnyway) break;

    const isParticle = nameParticles.has(lower) && words.length > 0 && wordCasing !== 'upper';
    if (!isInitial && !isParticle) {
      if (
        wordCasing == null ||
        (casing != null && wordCasing !== casing) ||
        !isAcceptedCasing(word, wordCasing, lowercase, nameWordCount === 0)
      )
        break;

      casing = wordCasing;
      nameWordCount++;
      end = position + word.length;
    }

    words.push(word);
    position = position + word.length;
    if (possessive != null || (text[position] !== ' ' && text[position] !== '\t') || !/[\p{L}\p{M}]/u.test(text[position + 1] ?? '')) break;

    position++;
  }

  if (nameWordCount === 0) return undefined;

  // `end` stops at the last name word, so trailing initials and particles are left out
  return { start, end, words: text.slice(start, end).split(/[ \t]+/) };
}

function casingOf(word: string): 'title' | 'upper' | 'lower' | undefined {
  const letters = word.replace(/[^\p{L}]/gu, '');
  if (letters.length === 0) return undefined;

  if (letters === letters.toLowerCase()) return letters === letters.toUpperCase() ? undefined : 'lower';

  if (letters === letters.toUpperCase()) return letters.length >= 2 ? 'upper' : undefined;

  // Capitals inside a word part ("JavaScript", "AssertionError") mark code, except name prefixes ("McDonald", "DeShawn")
  const isProperCase =
    /^\p{Lu}/u.test(letters) &&
    word.split(/[-'’]/).every((part) => !/\p{Ll}\p{Lu}/u.test(part.replace(/^(?:Mc|Mac|De|Di|La|Le|Van)(?=\p{Lu})/u, '')));
  return isProperCase ? 'title' : undefined;
}

function isAcceptedCasing(word: string, casing: 'title' | 'upper' | 'lower', lowercase: LowercaseNames, isFirstWord: boolean) {
  if (casing !== 'lower') return true;

  // Later parts of a lower-case name may be everyday words too ("nguyen van an")
  if (lowercase === 'knownNames') return nameLexicon.isKnownName(word) && (!isFirstWord || !nameLexicon.isAmbiguousName(word));

  return lowercase === 'uncommonWords' && !nameLexicon.isCommonWord(word);
}

/** Whether the word would end a name: a role, pronoun, greeting, or a noun like "Falls" or "Agreement". */
export function isNonNameWord(word: string) {
  return nonNameWords.has(word.toLowerCase());
}

export function isPlaceNoun(word: string) {
  return placeNouns.has(word.toLowerCase());
}

/** Whether a word is capitalised like a name ("Priya", "O'Brien", "KHALID") rather than like code ("JavaScript"). */
export function hasNameCasing(word: string) {
  const casing = casingOf(word);
  return casing === 'title' || casing === 'upper';
}

/**
 * The capitalised word right after `end` when it makes the name before it the name of a thing:
 * a place noun ("Baker Street") or an event or institution ("Paris Agreement", "Grace Hotel").
 */
export function thingNounAfter(text: string, end: number) {
  const match = /^[ \t]{1,4}(\p{Lu}[\p{L}\p{M}]*)/u.exec(text.slice(end, end + 24));
  const word = match?.[1];
  // Family names such as Park, Hall or Lane are not evidence either way
  if (word == null || !isNonNameWord(word) || nameLexicon.isFamilyName(word)) return undefined;

  return { end: end + match![0].length, isPlaceNoun: isPlaceNoun(word) };
}
