import { typeOfField } from '../structured/fieldTypes';
import type { EntityCandidate } from '../types';
import { nameLexicon } from './nameLexicon';
import { isNonNameWord, readName, type LowercaseNames, type NameSpan } from './readName';

type ContextRule = {
  name: string;

  /** Global pattern whose match ends where the name begins */
  cue: RegExp;

  lowercase: LowercaseNames;
  score: number;

  /** What must follow the name, if anything */
  followedBy?: RegExp;

  /** A name the lexicon does not know needs this many words, for cues that also precede ordinary nouns */
  unknownNameMinWords?: number;

  /** Whether a name made only of everyday words is still accepted ("Dr. Brown") */
  trustsCommonWords?: boolean;

  maxWords?: number;
};

const endOfSalutation = /^[ \t]{0,8}(?:[,!.:;?\n]|$|\r|[ \t]{1,8}(?:and|&)[ \t])/;
const endOfSignatureLine = /^[ \t]{0,8}(?:$|\r?\n|\(|,|\||[-–—])/;

const contextRules: readonly ContextRule[] = [
  {
    name: 'honorific',
    cue: /(?<![\p{L}\p{N}])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Madam|Mme|Mlle|Herr|Frau|Sr|Sra|Srta|Señor|Señora|Dott|Doctor|Rev|Capt|Judge|MR|MRS|MS|DR|PROF)\.?[ \t]{1,8}/gu,
    lowercase: 'never',
    score: 0.9,
    trustsCommonWords: true
  },
  {
    name: 'greeting',
    cue: /(?<![\p{L}\p{N}'’])(?:hi|hello|hey|hiya|heya|howdy|dear|greetings|good (?:morning|afternoon|evening)|morning|thanks(?: so much| again| a lot)?|thank you(?: so much)?|many thanks|bonjour|salut|hola|hallo|ciao|ol[áa]|namaste|salaam|yo|congrats|congratulations|ok|okay|sorry|sure|yes)[ \t]{0,8},?[ \t]{1,8}/giu,
    lowercase: 'knownNames',
    score: 0.85,
    followedBy: endOfSalutation,
    trustsCommonWords: true
  },
  {
    name: 'signOff',
    cue: /(?<![\p{L}])(?:best regards|kind regards|warm regards|warmest regards|regards|best wishes|all the best|best|cheers|thanks|thank you|many thanks|thanks again|thanks (?:&|and) regards|sincerely|yours sincerely|yours faithfully|yours truly|respectfully|love|much love|xo+|xx+|hugs|take care|talk soon|saludos|un saludo|atentamente|cordialement|bien à vous|mit freundlichen grüßen|viele grüße|liebe grüße|grüße|met vriendelijke groet|cumprimentos|abraços|diolch|danke|merci|gracias|obrigad[oa]|grazie|dank je|tack|takk|kiitos|dziękuję|shukran|asante)[ \t]{0,8}[,!.]?[ \t]{0,8}\r?\n[ \t]{0,8}(?:[-–—~/][ \t]{0,8})?/giu,
    lowercase: 'never',
    score: 0.85,
    followedBy: endOfSignatureLine
  },
  {
    name: 'selfIntroduction',
    cue: /(?<![\p{L}])(?:my name is|my name's|name's|call me|me llamo|mi nombre es|je m'appelle|ich heiße|ich heisse|mi chiamo|meu nome é)[ \t]{1,8}/giu,
    lowercase: 'uncommonWords',
    score: 0.9,
    trustsCommonWords: true
  },
  {
    name: 'selfReference',
    cue: /(?<![\p{L}])(?:i am|i['’]m|im|this is|it['’]s|its|it is|soy|je suis|ich bin|sono|signed)[ \t]{1,8}/giu,
    lowercase: 'knownNames',
    score: 0.8
  },
  {
    name: 'statement',
    cue: /(?:^|(?<=\n))[ \t]{0,8}I,[ \t]{1,8}/gu,
    lowercase: 'never',
    score: 0.85,
    followedBy: /^,/
  },
  {
    name: 'fieldLabel',
    cue: /(?:^|(?<=[\n|]))[ \t]{0,8}(?:name|full name|patient(?: name)?|pt|customer(?: name)?|client(?: name)?|caller|employee|tenant|landlord|borrower|guarantor|executor|beneficiary|account holder|holder|contact(?: person| name)?|attn|attention|from|to|cc|bcc|recipient|applicant|member|insured|policyholder|driver|passenger|guest|student|candidate|signatory|signed|witness|next of kin|spouse|parent|guardian|emergency contact|assigned to|doctor|physician|gp|referrer|referred by|requested by|approved by|prepared by|owner|author|interpreter|consultant)[ \t]{0,8}[:-][ \t]{0,8}/giu,
    lowercase: 'knownNames',
    score: 0.9,
    trustsCommonWords: true
  },
  {
    name: 'relation',
    cue: /(?<![\p{L}])(?:wife|husband|son|daughter|mother|father|mom|mum|dad|brother|sister|cousin|uncle|aunt|auntie|grandmother|grandfather|grandma|grandpa|granddaughter|grandson|niece|nephew|fiancée?|spouse|partner|girlfriend|boyfriend|colleague|coworker|co-worker|friend|boss|accountant|lawyer|attorney|solicitor|caregiver|carer|neighbou?r|roommate|flatmate|classmate|landlady|represented by|accompanied by|signed by|escalated to|assigned to|referred to|referred by|introducing)[ \t]{0,8},?[ \t]{1,8}/giu,
    lowercase: 'knownNames',
    score: 0.85
  },
  {
    name: 'roleNoun',
    cue: /(?<![\p{L}])(?:patient|pt|client|customer|tenant|caller|member|guest|passenger|employee|student|candidate|applicant|resident|driver)\.?[ \t]{1,8}/giu,
    lowercase: 'never',
    score: 0.8,
    unknownNameMinWords: 2
  },
  {
    name: 'communication',
    cue: /(?<![\p{L}])(?:talked with|met with|meeting with|meet with|shared with|sync with|synced with|catch up with|caught up with|lunch with|coffee with|chat with|chatted with|tell|ask|told|asked|call|called|calling|email|emailed|text|texted|message|messaged|ping|pinged|dm|dmed|cc|meet|met|saw|seen|invite|invited|say hi to|said hi to|hi to|spoke to|spoke with|talked to|talk to|hear from|heard from|welcome|welcoming|bring|brought|pick up|picked up|thx|ty|@)[ \t]{0,8}(?<=[ \t@])/giu,
    lowercase: 'knownNames',
    score: 0.75,
    followedBy: /^(?![ \t]{0,8}\d)/
  },
  {
    name: 'chatSpeaker',
    // "[10:41]", "(10:41)", "10:41 AM", "2024-05-01 10:41", WhatsApp's "12/05/2024, 10:41 -" and "[12/05/2024, 10:41:22]"
    cue: /(?:^|(?<=\n))[ \t]{0,8}(?:\[(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?[ \t])?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]m)?\]|\(\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]m)?\)|(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?:,?[ \t]|T))?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]m)?(?:[ \t]{1,4}[-–])?|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?=[ \t]))[ \t]{0,8}/giu,
    lowercase: 'uncommonWords',
    score: 0.85,
    followedBy: /^:/,
    trustsCommonWords: true,
    maxWords: 3
  }
];

/**
 * Line-start labels of a chat or meeting transcript ("Me: …", "Kavya: …", "[00:01:12] Ama Owusu: …",
 * "SPEAKER 2 (Lars Berg): …"). A timestamp may come first.
 */
const transcriptSpeakerPattern =
  /(?:^|(?<=\n))[ \t]{0,8}(?:[[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]m)?[\])]?[ \t]{1,8}(?:[-–—][ \t]{1,4})?)?([\p{L}][\p{L}\p{M}'’.-]*(?:[ \t][\p{L}][\p{L}\p{M}'’.-]*){0,2})[ \t]?(?:\([^)\n]{1,40}\))?:[ \t]/gu;
const transcriptMarkerPattern = /(?:^|\n)[ \t]{0,8}(?:me|you):[ \t]/i;
/** A role before the speaker's name in a label: "Candidate Zarbek:", "Detective Inspector Osei:", "Dr Mensah:" */
const rolePrefixPattern =
  /^(?:(?:Candidate|Applicant|Interviewer|Interviewee|Recruiter|Counsell?or|Therapist|Detective|Inspector|Officer|Sergeant|Constable|Agent|Advisor|Adviser|Caller|Customer|Client|Patient|Doctor|Dr\.?|Nurse|Judge|Witness|Professor|Prof\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Mx\.?|Sir|Madam)[ \t])+/;
/** Labels that start lines of forms, emails and notes rather than speakers' turns */
const nonSpeakerLabelPattern =
  /^(?:subject|date|time|to|from|cc|bcc|re|fwd|note|notes|action|actions|action items?|agenda|attendees|participants|present|absent|apologies|summary|decision|decisions|next steps|todo|q|a|question|answer|tags?|status|priority|location|where|when|host|organi[sz]er|minutes|item|topic|update|updates|owner|due|ps|nb|tl;?dr|edit|warning|error|info|debug)$/i;
const speakerTagPattern =
  /^(?:speaker|participant|interviewer|interviewee|moderator|host|caller|agent|customer|client|doctor|patient|guest|panelist|passenger|traveller|traveler|member|employee|tenant|applicant|rep|cust|csr|doc|dr|vet|nurse|clerk|tech|mgr|manager|ops|dev|pm|qa|it|hr|admin|sys|bot|ai|assistant|user|operator|dispatcher|receptionist|pharmacist|advisor|adviser|officer|judge|counsel|witness|attorney|interpreter|teacher|student)(?:[ \t]?\d{0,2}|[ \t][A-Z])$/i;

/** Lists of people after a label: "Attendees: Kwame Mensah, Sigríður Jónsdóttir and Ananya Iyer" */
const nameListCuePattern =
  /(?<![\p{L}])(?:attendees|participants|present|invitees|speakers|panelists|absent|apologies|guests|cc|signatories|interviewers?)[ \t]{0,4}(?:\([^)\n]{0,20}\))?[ \t]{0,4}:[ \t]{0,8}/giu;
const nameListSeparatorPattern = /^(?:[ \t]{0,4}[,;/][ \t]{0,4}(?:and[ \t]{1,4})?|[ \t]{1,4}(?:and|&)[ \t]{1,4})/;

/**
 * A lower-case given name used as a person in chat: "lunch w/ priya?", "did u see what tomasz posted".
 * After a weak cue ("what", "and", "to") a verb of what people do must follow, unless the name is no English word.
 */
/** A cue word, then the lower-case word after it; the cue is group 1 */
const lowercaseNameCuePattern =
  /(?<![\p{L}])(w\/|with|tell|ask|asked|ping|pinged|cc|dm|hey|hi|hiya|thx|thanks|thank you|ty|sorry|loop in|looping in|looped in|@|and|for|from|to|by|what|did|does|is|was|like)(?:[ \t]{0,2},?[ \t]{1,4}|(?<=@))(\p{Ll}[\p{Ll}\p{M}]{2,}(?:-\p{Ll}[\p{Ll}\p{M}]+)?)(?![\p{L}\p{M}-])/giu;
const weakLowercaseCues = new Set(['and', 'for', 'from', 'to', 'by', 'what', 'did', 'does', 'is', 'was', 'like']);
/** Cues that only people follow; "with", "ping" and "w/" also precede tools ("ping localhost", "with webpack") */
const personOnlyCues = new Set([
  ...['@', 'ask', 'asked', 'tell', 'cc', 'dm', 'hey', 'hi', 'hiya', 'thx', 'thanks', 'thank you', 'ty'],
  ...['sorry', 'loop in', 'looping in', 'looped in']
]);
/** A line of code or a doc comment, whose "@" starts a tag or decorator ("* @param", "// @ts-ignore") */
const codeCommentLinePattern = /(?:^|\n)[ \t]*(?:\*|\/\/|#|\/\*)[^\n]*$/;
const personUseAfter =
  /^(?:[ \t]{1,4}(?:said|says|told|asked|thinks|thought|wants|wanted|wrote|replied|mentioned|will|can't|cant|won't|wont|didn't|didnt|doesn't|doesnt|is coming|is out|is off|and i|and me|\p{Ll}{2,}ed)(?![\p{L}])|['’]s[ \t])/u;

/** What a person in a chat does: "wahyu broke the build", "bishnu is covering support", "radka pls check" */
const chatSubjectVerbAfter =
  /^[ \t]{1,4}(?:said|says|told|asked|thinks|wants|wrote|replied|will|can|could|should|has|had|broke|sent|left|took|got|pls|plz|(?:is|was)[ \t]{1,4}(?:\p{Ll}{2,}ing|out|off|back|away|sick|here|on call)|\p{Ll}{2,}ed)(?![\p{L}])/u;

/** A chat line whose message starts in lower case: "radek: hey is the build green?", "[14:20] venkat: saved" */
const lowercaseChatLinePattern =
  /(?:^|(?<=\n))[ \t]{0,8}(?:\[\d{1,2}:\d{2}(?::\d{2})?\][ \t]{0,8})?[\p{L}][\p{L}\p{M}.'’-]{1,30}:[ \t]{1,8}\p{Ll}/gu;
/** Words and signs of informal chat, which product docs, code and news do not use */
const chatRegisterPattern =
  /(?<![\p{L}])(?:lol|lmao|pls|plz|thx|ty|btw|omg|idk|tbh|imo|lmk|brb|yep|yup|yeah|nope|haha+|hehe|ugh|gonna|wanna)(?![\p{L}])|[\u{1F600}-\u{1F64F}\u{1F900}-\u{1F9FF}]/iu;
const lowercaseLineStartPattern = /(?:^|\n)[ \t]{0,8}@?\p{Ll}[\p{Ll}\p{M}'’]*,?[ \t]/u;
/** Multicultural given names that are also English or code words in lower case */
const lowercaseLookalikes = new Set([
  'ping',
  'long',
  'hung',
  'sung',
  'young',
  'dung',
  'fang',
  'ting',
  'ming',
  'ante',
  'liga',
  'ville',
  'mine',
  'bose'
]);
const lowercaseWordPattern = /(?<![\p{L}\p{M}\p{N}_./@#$-])\p{Ll}[\p{Ll}\p{M}-]{3,}(?![\p{L}\p{M}\p{N}_/@(=-]|\.\p{L})/gu;

/** Airline-style "SURNAME/GIVEN MR" in bookings and boarding passes */
const slashedNamePattern =
  /(?<![\p{L}\p{M}\p{N}/])(\p{Lu}[\p{Lu}\p{M}'’-]{1,30})\/(\p{Lu}[\p{Lu}\p{M}'’-]{1,30}(?:[ \t](?!(?:MR|MRS|MS|MISS|MSTR|DR)(?![\p{L}]))\p{Lu}[\p{Lu}\p{M}'’-]{1,30})?)([ \t]{1,4}(?:MR|MRS|MS|MISS|MSTR|DR)(?![\p{L}]))?(?![\p{L}\p{M}\p{N}/])/gu;

/** The display name before an address in angle brackets: "Seo-yeon Choi <seoyeon@…>" */
const mailboxPattern = /<[^\s<>@]{1,64}@[^\s<>@]{1,255}>/g;
const displayNameBeforePattern = /(?:^|[\s,:;"'(])((?:[\p{Lu}][\p{L}\p{M}'’.-]*[ \t]){0,3}[\p{Lu}][\p{L}\p{M}'’.-]*)["']?[ \t]{0,4}$/u;

/** A roster line that starts "Surname, Given": "Horvat, Mladen - nights", "Nguyen, Thi Huong | on call" */
const surnameFirstLinePattern =
  /(?:^|(?<=\n))[ \t]{0,8}(?:[-*•][ \t]{1,4})?(\p{Lu}[\p{L}\p{M}'’-]+),[ \t]{1,4}(\p{Lu}[\p{L}\p{M}'’-]+(?:[ \t]\p{Lu}[\p{L}\p{M}'’-]+)?)(?=[ \t]{0,8}(?:[-–—|:;(\t]|\r?\n|$))/gu;

/** A user's home directory names them: C:\Users\jsmith, /home/jsmith, /Users/jsmith */
const homeDirectoryPattern =
  /(?:[A-Za-z]:\\(?:Users|Documents and Settings)\\|\/(?:home|Users)\/)([A-Za-z0-9][\w.-]{1,40})(?=[\\/"'\s]|$)/g;
const systemAccounts = new Set([
  'public',
  'default',
  'default user',
  'all users',
  'administrator',
  'admin',
  'root',
  'user',
  'ubuntu',
  'runner',
  'ec2-user',
  'node',
  'app',
  'www-data',
  'guest',
  'shared',
  'vagrant',
  'jenkins',
  'docker',
  'travis',
  'circleci'
]);

/** Code annotations name their author: TODO(mkowalski), FIXME(anna.k) */
const codeAnnotationPattern = /\b(?:TODO|FIXME|XXX|HACK|NOTE)\(([A-Za-z][\w.-]{1,31})\)/g;

/** A letter opens with a greeting line: "Hi all,", "Dear Ms Mensah,", "Hello team!" */
const openingGreetingPattern =
  /(?:^|\n)[ \t]{0,8}(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)(?![\p{L}])[^\n]{0,48}[,!:]?[ \t]*\r?\n/iu;
/** The last line of a message, alone after a blank line, before the end or a quoted reply ("On … wrote:", "From: …") */
const closingLinePattern =
  /\n[ \t]*\r?\n[ \t]{0,8}([^\n]{2,48}?)[ \t]*(?=\r?\n[ \t]*(?:\r?\n[ \t]*)*(?:On [^\n]{4,120}wrote:|-{2,}|_{3,}|From:|>)|\s*$)/gu;

const calendarWordPattern = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*$|^(?:today|yesterday|tomorrow|am|pm)$/i;

/** A chat app's message header, the author then the time: "kwame  10:41 AM", "Ama Owusu [10:41]" (Slack, Teams) */
const authorTimeHeaderPattern =
  /(?:^|(?<=\n))[ \t]{0,8}([\p{L}][\p{L}\p{M}'’.-]*(?:[ \t][\p{L}][\p{L}\p{M}'’.-]*)?)[ \t]{1,8}\[?\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?\]?[ \t]*(?=\r?\n)/gu;

/** A name coordinated with the speaker: "Rhys and I", "Grace and me" */
const coordinatedNamePattern = /(?<![\p{L}\p{M}'’])(\p{Lu}[\p{L}\p{M}'’-]+)[ \t]{1,4}and[ \t]{1,4}(?:I|me)(?![\p{L}])/gu;

/**
 * Finds names by the words around them: titles, greetings, sign-offs, self-introductions, form fields,
 * family and work relations, roles ("patient …"), verbs of talking to someone, chat speaker labels,
 * display names of email addresses, home directories, code annotations, and "… and I".
 */
export function detectPersonContexts(text: string): EntityCandidate[] {
  return [
    ...detectByCueRules(text),
    ...detectTranscriptSpeakers(text),
    ...detectNameLists(text),
    ...detectLowercaseNameUse(text),
    ...detectMailboxNames(text),
    ...detectHomeDirectoryUsers(text),
    ...detectCodeAnnotationAuthors(text),
    ...detectNamesCoordinatedWithSpeaker(text),
    ...detectBareSignatures(text),
    ...detectMessageAuthors(text),
    ...detectSlashedNames(text),
    ...detectSurnameFirstRosters(text)
  ];
}

function detectByCueRules(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const rule of contextRules)
    for (const cue of text.matchAll(rule.cue)) {
      const name = readName(text, cue.index + cue[0].length, { lowercase: rule.lowercase, maxWords: rule.maxWords });
      if (name != null && isAcceptedName(text, name, rule))
        entities.push({ type: 'PERSON', start: name.start, end: name.end, score: rule.score, detector: `person:${rule.name}` });
    }

  return entities;
}

/**
 * Speaker labels, once the text reads as a transcript: a "Me:"/"You:" line, or two or more lines starting with
 * name-like labels. Labels made of everyday words ("Subject", "Action items") are not speakers.
 */
function detectTranscriptSpeakers(text: string): EntityCandidate[] {
  const speakers: { start: number; end: number; label: string; known: boolean }[] = [];
  const roleTurns = new Map<string, number>();
  for (const match of text.matchAll(transcriptSpeakerPattern)) {
    const label = match[1]!;
    const tagged = /\(([^)\n]{1,40})\)/.exec(match[0]);
    // "SPEAKER 2 (Lars Berg):" names the speaker inside the brackets, "Candidate Zarbek:" after the role
    const role = rolePrefixPattern.exec(label)?.[0];
    const speaker =
      speakerTagPattern.test(label) && tagged != null
        ? tagged[1]!.trim()
        : role != null && role.length < label.length
          ? label.slice(role.length)
          : label;
    if (speakerTagPattern.test(speaker)) roleTurns.set(speaker.toLowerCase(), (roleTurns.get(speaker.toLowerCase()) ?? 0) + 1);
    // Field names label forms, in any language ("Vorname:", "Adresse:", "Telefon:")
    if (isRoleOrFormLabel(speaker) || typeOfField(speaker) != null) continue;

    const words = speaker.split(/[ \t]/);
    if (
      readName(speaker, 0, { lowercase: 'uncommonWords' })?.end !== speaker.length ||
      words.some((word) => (nameLexicon.isCommonWord(word) || isRoleLikeWord(word)) && !nameLexicon.isKnownName(word)) ||
      words.some((word, index) => isNonNameWord(word) && !(index > 0 && nameLexicon.isFamilyName(word)))
    )
      continue;

    const start = match.index + match[0].lastIndexOf(speaker, match[0].length - 1);
    speakers.push({
      start,
      end: start + speaker.length,
      label: speaker,
      known: words.length >= 2 || words.some((word) => nameLexicon.isKnownName(word))
    });
  }

  // Turns repeat speakers; a form's labels ("Company:", "Codename:") come once each
  const counts = new Map<string, number>();
  for (const { label } of speakers) counts.set(label, (counts.get(label) ?? 0) + 1);
  // "Agent: … ⏎ Zarbek: … ⏎ Agent: …": a role's turns make a transcript as much as repeated names do; a form's labels
  // ("Patient:", "Applicant:") come once each
  const hasRepeatedTurns =
    [...roleTurns.values()].some((turns) => turns >= 2) ||
    transcriptMarkerPattern.test(text) ||
    [...counts.values()].some((count) => count >= 2);
  if (!hasRepeatedTurns && speakers.filter((speaker) => speaker.known).length < 2) return [];

  // Where turns repeat, a label no dictionary knows is a name even when its speaker talks once ("Agent: … ⏎ Zarbek: …")
  const isUnlistedLabel = (label: string) =>
    hasRepeatedTurns &&
    label.split(/[ \t]/).every((word) => /^\p{Lu}\p{Ll}/u.test(word) && !nameLexicon.isDictionaryWord(word) && !isNonNameWord(word));
  return speakers
    .filter(({ label, known }) => known || counts.get(label)! >= 2 || isUnlistedLabel(label))
    .map(({ start, end }) => ({ type: 'PERSON', start, end, score: 0.8, detector: 'person:transcriptSpeaker' }));
}

/** A label of a role ("Caller", "Speaker 2") or of a form, email or log line ("Subject", "Warning"), not a person */
function isRoleOrFormLabel(label: string) {
  return speakerTagPattern.test(label) || nonSpeakerLabelPattern.test(label);
}

/**
 * A dictionary word long enough to be a role ("Dispatcher", "Receptionist"); word-list's short entries are often
 * names as well ("budi", "ama"), so those are left to the name lexicon.
 */
function isRoleLikeWord(word: string) {
  return word.length >= 5 && nameLexicon.isEnglishWord(word);
}

function detectNameLists(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const cue of text.matchAll(nameListCuePattern)) {
    let position = cue.index + cue[0].length;
    for (let count = 0; count < 24; count++) {
      const name = readName(text, position, { lowercase: 'never' });
      if (name == null || name.words.some((word, index) => isNonNameWord(word) && !(index > 0 && nameLexicon.isFamilyName(word)))) break;

      const isAcronym = name.words.length === 1 && /^\p{Lu}+$/u.test(name.words[0]!);
      if (
        name.words.some((word) => nameLexicon.isKnownName(word)) ||
        (!isAcronym && (name.words.length >= 2 || !nameLexicon.isCommonWord(name.words[0]!)))
      )
        entities.push({ type: 'PERSON', start: name.start, end: name.end, score: 0.8, detector: 'person:nameList' });

      // A role in brackets may follow each name: "Ama Owusu (chair), …"
      const rest = text.slice(name.end, name.end + 48).replace(/^[ \t]{0,4}\([^)\n]{0,40}\)/, (role) => ' '.repeat(role.length));
      const separator = nameListSeparatorPattern.exec(rest);
      if (separator == null) break;

      position = name.end + separator.index + separator[0].length;
      if (rest.slice(0, separator.index).trim().length > 0 && !/^\s*\(/.test(text.slice(name.end))) break;
    }
  }

  return entities;
}

function detectLowercaseNameUse(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(lowercaseNameCuePattern)) {
    const word = match[2]!;
    // The cue matched case-insensitively, but the name must be lower case (capitalised names have other rules)
    if (word !== word.toLowerCase()) continue;

    const start = match.index + match[0].length - word.length;
    const isWeakCue = weakLowercaseCues.has(match[1]!.toLowerCase());
    // Name lists miss many cultures' names ("gunnhild", "jyrki"); after a cue only people follow, a word no dictionary knows is one
    if (!nameLexicon.isGivenName(word) && !isUnlistedNameAfterCue(text, match[1]!.toLowerCase(), start, word)) continue;
    if (
      (isWeakCue &&
        !nameLexicon.isUncommonGivenName(word) &&
        !personUseAfter.test(text.slice(start + word.length, start + word.length + 16))) ||
      nameLexicon.isAmbiguousName(word) ||
      nameLexicon.isCommonWord(word) ||
      isNonNameWord(word)
    )
      continue;

    entities.push({ type: 'PERSON', start, end: start + word.length, score: 0.7, detector: 'person:lowercaseName' });
  }

  return [...entities, ...detectLowercaseChatNames(text)];
}

/** An unlisted word after a cue only people follow ("ask jyrki") */
function isUnlistedNameAfterCue(text: string, cue: string, start: number, word: string) {
  if (!personOnlyCues.has(cue.replace(/[ \t]+/g, ' '))) return false;
  if (cue === '@' && codeCommentLinePattern.test(text.slice(Math.max(0, start - 120), start))) return false;

  return isUnlistedName(text, start, word);
}

/** Letters only with a vowel, in no word list and no bot, and not the start of a path, host or call */
function isUnlistedName(text: string, start: number, word: string) {
  return (
    /^[\p{Ll}\p{M}]{3,16}$/u.test(word) &&
    !/bot$/.test(word) &&
    /[aeiouyáéíóúýäëïöüåøæ]/u.test(word) &&
    !/^[./_:(\\\d]$/.test(text.charAt(start + word.length)) &&
    !nameLexicon.isDictionaryWord(word) &&
    !isNonNameWord(word)
  );
}

/**
 * In a chat written in lower case, a given name needs no cue ("nope, grzegorz broke it"). Only the multicultural
 * names count: compromise's English given names are often everyday words ("jack", "grant", "rob").
 */
function detectLowercaseChatNames(text: string): EntityCandidate[] {
  if (!readsAsLowercaseChat(text)) return [];

  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(lowercaseWordPattern)) {
    const word = match[0];
    const isUnlistedSubject =
      isUnlistedName(text, match.index, word) &&
      chatSubjectVerbAfter.test(text.slice(match.index + word.length, match.index + word.length + 16));
    if (
      (!nameLexicon.isUncommonGivenName(word) && !isUnlistedSubject) ||
      lowercaseLookalikes.has(word) ||
      nameLexicon.isAmbiguousName(word) ||
      nameLexicon.isCommonWord(word) ||
      isNonNameWord(word)
    )
      continue;

    entities.push({ type: 'PERSON', start: match.index, end: match.index + word.length, score: 0.65, detector: 'person:chatName' });
  }

  return entities;
}

/** Two chat lines with speaker labels, or a line starting in lower case in the register of chat ("lol", "pls", "yep") */
function readsAsLowercaseChat(text: string) {
  let chatLines = 0;
  for (const _ of text.matchAll(lowercaseChatLinePattern)) if (++chatLines >= 2) return true;
  return chatRegisterPattern.test(text) && lowercaseLineStartPattern.test(text);
}

function detectMailboxNames(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const mailbox of text.matchAll(mailboxPattern)) {
    const lineStart = text.lastIndexOf('\n', mailbox.index) + 1;
    const before = text.slice(Math.max(lineStart, mailbox.index - 80), mailbox.index);
    const displayName = displayNameBeforePattern.exec(before)?.[1];
    if (displayName == null) continue;

    const start = mailbox.index - before.length + before.lastIndexOf(displayName);
    const name = readName(text, start, { lowercase: 'never' });
    if (name != null && name.end === start + displayName.length)
      entities.push({ type: 'PERSON', start, end: name.end, score: 0.85, detector: 'person:mailbox' });
  }

  return entities;
}

function detectHomeDirectoryUsers(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(homeDirectoryPattern)) {
    const user = match[1]!;
    if (!systemAccounts.has(user.toLowerCase())) {
      const start = match.index + match[0].length - user.length;
      entities.push({ type: 'PERSON', start, end: start + user.length, score: 0.75, detector: 'person:homeDirectory' });
    }
  }

  return entities;
}

function detectCodeAnnotationAuthors(text: string): EntityCandidate[] {
  return [...text.matchAll(codeAnnotationPattern)].map((match) => {
    const start = match.index + match[0].length - match[1]!.length - 1;
    return { type: 'PERSON', start, end: start + match[1]!.length, score: 0.75, detector: 'person:codeAnnotation' };
  });
}

/**
 * A letter signed with the name alone on its last line ("…at the coffee machine.\n\nBerik"), with no sign-off word
 * before it. The whole line must read as a name, and a one-word name must be no everyday word.
 */
function detectBareSignatures(text: string): EntityCandidate[] {
  if (!openingGreetingPattern.test(text)) return [];

  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(closingLinePattern)) {
    const line = match[1]!;
    const start = match.index + match[0].length - line.length;
    const name = readName(text, start, { lowercase: 'never', maxWords: 3 });
    if (name == null || name.end !== start + line.length) continue;

    const words = name.words.filter((word) => !/^\p{Lu}\.?$/u.test(word));
    const isEverydayWord = (word: string) => nameLexicon.isDictionaryWord(word) && !nameLexicon.isKnownName(word);
    if (words.length === 0 || words.some((word) => isNonNameWord(word)) || (words.length === 1 && isEverydayWord(words[0]!))) continue;

    entities.push({ type: 'PERSON', start, end: name.end, score: 0.7, detector: 'person:bareSignature' });
  }

  return entities;
}

/** Authors of chat messages copied with their headers; an everyday word ("standup 10:00") is an agenda line */
function detectMessageAuthors(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(authorTimeHeaderPattern)) {
    const author = match[1]!;
    const words = author.split(/[ \t]/);
    if (
      words.some(
        (word) =>
          isNonNameWord(word) || calendarWordPattern.test(word) || (nameLexicon.isDictionaryWord(word) && !nameLexicon.isKnownName(word))
      )
    )
      continue;

    const start = match.index + match[0].indexOf(author);
    entities.push({ type: 'PERSON', start, end: start + author.length, score: 0.75, detector: 'person:messageAuthor' });
  }

  return entities;
}

function detectNamesCoordinatedWithSpeaker(text: string): EntityCandidate[] {
  return [...text.matchAll(coordinatedNamePattern)]
    .filter((match) => !nameLexicon.isCommonWord(match[1]!) && !isNonNameWord(match[1]!))
    .map((match) => ({
      type: 'PERSON',
      start: match.index,
      end: match.index + match[1]!.length,
      score: 0.75,
      detector: 'person:coordinated'
    }));
}

function detectSlashedNames(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(slashedNamePattern)) {
    const [, surname, given, title] = match;
    // "TCP/IP", "AND/OR": a title or a name the lexicon knows tells a passenger name apart
    if (title == null && !nameLexicon.isFamilyName(surname!) && !given!.split(/[ \t]/).some((word) => nameLexicon.isGivenName(word)))
      continue;

    const end = match.index + surname!.length + 1 + given!.length;
    entities.push({ type: 'PERSON', start: match.index, end, score: 0.8, detector: 'person:slashedName' });
  }

  return entities;
}

/** Two or more "Surname, Given" lines make a roster; each entry needs a word the lexicon knows as a name */
function detectSurnameFirstRosters(text: string): EntityCandidate[] {
  const entries = [...text.matchAll(surnameFirstLinePattern)].filter((match) => {
    const words = [match[1]!, ...match[2]!.split(/[ \t]/)];
    return (
      words.some((word) => nameLexicon.isKnownName(word) && !nameLexicon.isAmbiguousName(word)) &&
      !words.some((word) => isNonNameWord(word) || (nameLexicon.isCommonWord(word) && !nameLexicon.isKnownName(word)))
    );
  });
  if (entries.length < 2) return [];

  return entries.map((match) => {
    const start = match.index + match[0].indexOf(match[1]!);
    return { type: 'PERSON', start, end: match.index + match[0].length, score: 0.8, detector: 'person:surnameFirstRoster' };
  });
}

function isAcceptedName(text: string, name: NameSpan, rule: ContextRule) {
  if (rule.followedBy != null && !rule.followedBy.test(text.slice(name.end, name.end + 16))) return false;
  // "[00:01:12] Caller: …" labels a role, "2024-05-01 10:41 Warning: …" a log level, not a person
  if (rule.name === 'chatSpeaker' && isRoleOrFormLabel(text.slice(name.start, name.end))) return false;

  const nameWords = name.words.filter((word) => !/^\p{Lu}\.?$/u.test(word));
  // Initials alone ("Caller: K-448120") are a code's letters, not a name
  if (nameWords.length === 0) return false;
  if (nameWords.some((word) => nameLexicon.isKnownName(word) && !nameLexicon.isAmbiguousName(word))) return true;

  // "Caller: Sure, it is…": a line of speech after a label, not a name
  const after = text.slice(name.end, name.end + 8);
  const isSpeech =
    rule.name === 'fieldLabel' &&
    nameWords.length === 1 &&
    nameLexicon.isCommonWord(nameWords[0]!) &&
    !nameLexicon.isKnownName(nameWords[0]!) &&
    /^[,.!?][ \t]+\S/.test(after);
  if (rule.trustsCommonWords) return !isSpeech;

  if (rule.unknownNameMinWords != null && nameWords.length < rule.unknownNameMinWords) return false;

  // Everyday words after a weak cue ("I'm Fine", "call Support") are not names; ambiguous names need a surname
  const uncommonWords = nameWords.filter((word) => !nameLexicon.isCommonWord(word) && !nameLexicon.isAmbiguousName(word));
  return (
    uncommonWords.length > 0 || (rule.name === 'communication' && nameWords.length === 1 && nameLexicon.couldBeGivenName(nameWords[0]!))
  );
}
