import { matchNearAnchors } from '../detection/matchNearAnchors';
import { isLanguageModelLoaded, languageModel } from '../language/languageModel';
import type { EntityCandidate } from '../types';
import { isPlausibleSecretValue, looksLikeRandomToken, providerTokenPattern, type SecretValueStrength } from './secretValues';

const maxPemLength = 16_384;
const pemHeaderPattern = /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g;
/** Consecutive non-empty base64 lines, for a block whose END line is missing */
const pemBodyLinesPattern = /^[ \t]*\r?\n(?:[A-Za-z0-9+/=]+(?:\r?\n|$))*/;
/** 40 base64 characters, the shape of an AWS secret access key */
const awsSecretAccessKeyPattern = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/;
const authorizationSchemePattern = /\b(?:Bearer|Basic|Token)[ \t]{1,8}([A-Za-z0-9._~+/=-]{16,8192})/g;
const namedValuePattern =
  /(pass(?:word|wd|phrase|code)?|pwd|pw|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth|session(?:[_-]?id)?|cookie|key|sig(?:nature)?)([A-Za-z0-9_.-]{0,30}?)(["']?)([ \t]{0,3})(=>|:=|=|:)([ \t]{0,3})/gi;
/** What the password is for, between the word and its value: "the wifi password for the flat is …", "password for the portal: …" */
const purposeWord = String.raw`(?!(?:is|was|es|ist|est|will|now)(?![\p{L}\p{N}]))[\p{L}\p{N}'’-]{1,24}`;
const passwordPurpose = String.raw`(?:[ \t]{1,8}(?:for|of|to|on|at)[ \t]{1,8}(?:(?:the|my|our|your|his|her|their|this|that)[ \t]{1,8})?${purposeWord}(?:[ \t]{1,4}${purposeWord}){0,2})?`;
/** Words for a password, in English and the languages of the names the detectors meet, and a wireless network's key */
const passwordWords = String.raw`password|passphrase|passwort|kennwort|mot de passe|contrase[ñn]a|senha|wachtwoord|hasło|heslo|lozinka|salasana|passord|adgangskode|kodeord|kode|mdp|pswd|pword|lösenord|jelszó|parola|[şs]ifre|geslo|mật khẩu|パスワード|密码|密碼|비밀번호|pw|pwd|(?:wi-?fi|wpa2?|wlan|wireless|network)[ \t]key`;
/** Words for a secret number typed on a keypad, which may be digits alone */
const keypadCodeWords = String.raw`pin(?:[ \t](?:number|code))?|passcode|otp|one-time[ \t](?:pass)?code|(?:door|gate|garage|building|alarm|entry|keypad|lock|lockbox|key[ \t]?(?:box|safe)|padlock|safe|access|verification|2fa|mfa|backup|recovery|sms)[ \t]codes?`;
/**
 * After the word: "is", "was set to", "will be", a colon (the value may start the next line), or nothing
 * ("temp pw Kx92-hfq!"), which `bare` marks
 */
const statedValuePattern = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(?<word>${passwordWords}|api[ _-]?key|token|secret|${keypadCodeWords})${passwordPurpose}(?:(?<verb>[ \t]{1,8}(?:(?:is|was|es|ist|est)(?:[ \t]{1,8}(?:now|still))?|(?:is[ \t]{1,8})?(?:set|changed|reset|updated)[ \t]{1,8}to|will[ \t]{1,8}be|now))[ \t]{0,8}:?|(?<=[\p{L}\p{N}'’])[ \t]{0,4}(?::|[-–=](?=[ \t]))|(?<bare>))(?:[ \t]{1,8}|(?<=:)[ \t]*\r?\n[ \t]*)["'\u0060“]?(?<value>[^\s"'\u0060”]{4,256})`,
  'gidu'
);
/** The verb first: "I set the password to …", "changed my pin to …" */
const setValuePattern = new RegExp(
  String.raw`\b(?:set|changed|reset|updated)[ \t]{1,8}(?:the|my|your|our|his|her|their)?[ \t]{0,8}(?<word>${passwordWords}|${keypadCodeWords})[ \t]{1,8}to[ \t]{0,8}:?[ \t]{1,8}["'\u0060“]?(?<value>[^\s"'\u0060”]{4,256})`,
  'gidu'
);
const keypadCodePattern = new RegExp(String.raw`^(?:${keypadCodeWords})$`, 'i');
const passwordWordPattern = new RegExp(String.raw`^(?:${passwordWords})$`, 'i');
/** The value first: "use Xk92!mq as your password", "Xk92!mq is the new wifi password" */
const valueFirstPattern = new RegExp(
  String.raw`(?<![^\s"'“])["'“]?(?<value>[^\s"'”]{4,64}?)["'”]?[ \t]{1,8}(?:as|for|is|was(?:[ \t]{1,8}still)?)[ \t]{1,8}(?:the|your|my|our|his|her|their)[ \t]{1,8}(?:(?:new|temporary|temp|current|wifi|wi-fi|login|admin)[ \t]{1,8}){0,2}(?<word>${passwordWords}|${keypadCodeWords})\b`,
  'gidu'
);
/** A question about a password, answered alone on the next line: "what's the wifi password?" ⏎ "ines: OrangeKettle" */
const answeredValuePattern = new RegExp(
  String.raw`\b(?<word>${passwordWords}|${keypadCodeWords})\b[^\n]{0,80}\?[ \t]*\r?\n(?:\[[^\]\n]{1,24}\][ \t]*)?(?:[\p{L}][\p{L}\p{N} .'’-]{0,30}:[ \t]*)?(?:(?:it['’]s|it is|sure|yes|yeah|ok)[,.]?[ \t]{1,4})?["'“]?(?<value>[^\s"'”,;]{4,64})["'”]?(?=[ \t]*(?:[,;][^\n]{0,80})?(?:\r?\n|$))`,
  'gidu'
);
/**
 * A turn that answers "It's …" a line or two after a password is asked for or mentioned, with no question mark needed:
 * "Agent: I need your account password to proceed." ⏎ "Caller: It's Xk92hfq!"
 */
const answeringTurnPattern = new RegExp(
  String.raw`\b(?<word>${passwordWords}|${keypadCodeWords})\b[^\n]{0,80}\r?\n(?:[^\n]{0,120}\r?\n)?(?:\[[^\]\n]{1,24}\][ \t]*)?[\p{L}][\p{L}\p{N} .'’-]{0,30}:[ \t]*(?:(?:sure|yes|yeah|ok),?[ \t]{1,4})?(?:it['’]s|it is|that['’]s)[ \t]{1,4}["'“]?(?<value>[^\s"'”,;]{4,64})`,
  'gidu'
);
/** A user name and its password together: "Username / password: asilva / 9Gk!m2Lx", "login admin:S3cret!99", "curl -u svc:…" */
const credentialPairPattern =
  /(?:\b(?:(?:user(?:[ \t]?name)?|login)[ \t]{0,4}(?:\/|and|&)[ \t]{0,4}pass(?:word)?|cred(?:ential)?s|login|user(?:[ \t]?name)?|wi-?fi|wlan|ssid)|(?<=[ \t])(?:-u|--user))[ \t]{0,4}[:=]?[ \t]{1,8}[\p{L}\p{N}._@+-]{1,64}(?:[ \t]{0,4}\/[ \t]{0,4}|:|[ \t]{1,4}(?:pass(?:word)?|pw|pwd)[ \t]{0,4}[:=]?[ \t]{1,4})(?<value>[^\s"'`]{4,256})/giu;
/**
 * Parts of the words every stated value contains (each word above has one), a cheap scan that finds the lines worth
 * the patterns above; short parts, all but one ASCII, keep V8's scan several times faster than the words
 */
const statedValueAnchor =
  /pass|pw|wort|senha|contrase|wachtwoord|has\u0142o|heslo|lozinka|salasana|adgangskode|kode|mdp|pswd|senord|jelsz|parola|ifre|geslo|kh\u1ea9u|\u30d1\u30b9|\u5bc6\u7801|\u5bc6\u78bc|\ube44\ubc00|key|pin|otp|code|token|secret/gi;
/** "mysql -u root -p Secret" or "-pSecret": a client's password flag after its user flag; digits alone are psql's port */
const commandLinePasswordPattern =
  /(?<=[ \t])-u[ \t]?[\p{L}\p{N}._@+-]{1,64}[ \t]{1,4}-p[ \t]?(?<value>(?!\d+(?:\s|$))[^\s"'`-][^\s"'`]{3,255})/gu;
const credentialPairAnchor = /user|login|cred|wi-?fi|wlan|ssid|[ \t]-u/gi;
const weakNamePattern = /^(?:auth|session(?:[_-]?id)?|cookie|key|sig(?:nature)?)$/i;
/** Not "!", which ends many passwords ("Pine2Cones!") */
const trailingProsePunctuationPattern = /[.,;:?)]+$/;

/**
 * Finds credentials: provider keys, JWTs, PEM private keys, Authorization header values,
 * values assigned to key-like names (`password=`, `"apiKey":`, `SECRET_KEY=`) and stated passwords.
 */
export function detectSecrets(text: string): EntityCandidate[] {
  return [
    ...detectProviderTokens(text),
    ...detectPemPrivateKeys(text),
    ...detectAuthorizationValues(text),
    ...detectNamedValues(text),
    ...(text.includes('</') ? detectXmlElementValues(text) : []),
    ...detectStatedValues(text),
    ...detectCredentialPairs(text)
  ];
}

function detectProviderTokens(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(providerTokenPattern)) {
    const provider = Object.entries(match.groups ?? {}).find(([, value]) => value != null)?.[0];
    // "sk-" is also an ordinary prefix; OpenAI keys always mix in digits
    if (provider === 'openai' && !/\d/.test(match[0])) continue;

    entities.push({
      type: 'SECRET',
      start: match.index,
      end: match.index + match[0].length,
      score: 0.99,
      detector: `secret:${provider}`
    });
    if (provider === 'aws') entities.push(...detectAwsSecretKeyAfter(text, match.index + match[0].length));
  }

  return entities;
}

/** The secret access key written after its key id on the same line ("AKIA… / wJalrXUtnFEMI…"), which has no name of its own */
function detectAwsSecretKeyAfter(text: string, keyIdEnd: number): EntityCandidate[] {
  const lineEnd = text.indexOf('\n', keyIdEnd);
  const rest = text.slice(keyIdEnd, Math.min(lineEnd === -1 ? text.length : lineEnd, keyIdEnd + 240));
  const secretKey = awsSecretAccessKeyPattern.exec(rest);
  if (secretKey == null || !/\d/.test(secretKey[0]) || !/[a-z]/.test(secretKey[0]) || !/[A-Z]/.test(secretKey[0])) return [];

  const start = keyIdEnd + secretKey.index;
  return [{ type: 'SECRET', start, end: start + secretKey[0].length, score: 0.95, detector: 'secret:aws' }];
}

/** Reports the key body between the BEGIN and END lines; a block without END is cut where base64 stops. */
function detectPemPrivateKeys(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  // The next footer is tracked in one forward pass, so many headers without footers stay linear
  let footer = text.indexOf('-----END ');
  for (const header of text.matchAll(pemHeaderPattern)) {
    const bodyStart = header.index + header[0].length;
    if (footer !== -1 && footer < bodyStart) footer = text.indexOf('-----END ', bodyStart);

    const bodyEnd =
      footer !== -1 && footer - bodyStart <= maxPemLength
        ? footer
        : bodyStart + (pemBodyLinesPattern.exec(text.slice(bodyStart, bodyStart + maxPemLength))?.[0].length ?? 0);

    const body = text.slice(bodyStart, bodyEnd);
    const start = bodyStart + (body.length - body.trimStart().length);
    const end = bodyEnd - (body.length - body.trimEnd().length);
    if (end > start) entities.push({ type: 'SECRET', start, end, score: 0.99, detector: 'secret:pem' });
  }

  return entities;
}

function detectAuthorizationValues(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(authorizationSchemePattern)) {
    const value = match[1]!;
    if (!/\d/.test(value)) continue;

    const start = match.index + match[0].length - value.length;
    entities.push({ type: 'SECRET', start, end: start + value.length, score: 0.95, detector: 'secret:authorization' });
  }

  return entities;
}

function detectNamedValues(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  const pattern = new RegExp(namedValuePattern);
  for (let match = pattern.exec(text); match != null; match = pattern.exec(text)) {
    const [whole, name, nameSuffix, closingQuote, spaceBefore, , spaceAfter] = match as unknown as string[];
    if (!isNamePartBoundary(text, match.index, name!, nameSuffix!)) {
      // A rejected word may hide a real name later in the same identifier ("PASSENGER_TOKEN=")
      pattern.lastIndex = match.index + 1;
      continue;
    }

    const valueStart = match.index + whole!.length;
    const value = readAssignedValue(text, valueStart);
    if (value == null) continue;

    // Names inside a value that was already judged are not assignments of their own ("key=key=key=…")
    pattern.lastIndex = Math.max(pattern.lastIndex, value.start + value.text.length);

    const strength: SecretValueStrength = weakNamePattern.test(name!) ? 'namedKey' : 'namedSecret';
    const compact = closingQuote === '' && spaceBefore === '' && spaceAfter === '' && !value.quoted;
    if (!isPlausibleSecretValue(value.text, strength, { quoted: value.quoted, compact })) continue;

    entities.push({
      type: 'SECRET',
      start: value.start,
      end: value.start + value.text.length,
      score: strength === 'namedSecret' ? 0.9 : 0.85,
      detector: 'secret:assignment'
    });
  }

  return entities;
}

/** A credential as an element of XML configuration: <password>…</password>, <apiKey>…</apiKey> */
const xmlElementValuePattern =
  /<((?:[A-Za-z][\w-]{0,30}[_-])?(?:password|passwd|pwd|secret|token|api[_-]?key|apiKey|access[_-]?key|accessKey|private[_-]?key|client[_-]?secret|clientSecret))>([^<\s]{4,512})<\/\1>/gi;

function detectXmlElementValues(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(xmlElementValuePattern)) {
    const value = match[2]!;
    if (!isPlausibleSecretValue(value, 'namedSecret', { quoted: true, compact: false })) continue;

    const start = match.index + match[1]!.length + 2;
    entities.push({ type: 'SECRET', start, end: start + value.length, score: 0.9, detector: 'secret:xmlElement' });
  }

  return entities;
}

function detectStatedValues(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  const statements = matchNearAnchors(
    text,
    text.matchAll(statedValueAnchor),
    [statedValuePattern, setValuePattern, valueFirstPattern, answeredValuePattern, answeringTurnPattern],
    'nextLine'
  );
  for (const match of statements) {
    const { word, bare, verb, value: written } = match.groups as { word: string; bare?: string; verb?: string; value: string };
    const value = written.replace(trailingProsePunctuationPattern, '');
    const [start, end] = match.indices!.groups!.value!;
    // "password: asilva / 9Gk!m2Lx" names the user first; the pair detector takes the password
    if (/^[ \t]*\//.test(text.slice(end, end + 8))) continue;
    const form = bare != null ? 'bare' : verb != null ? 'verb' : 'label';
    const isSecret =
      isStatedSecret(word, value, form) ||
      (form === 'verb' && clauseEndPattern.test(text.slice(start + value.length, start + value.length + 8)) && isNounPassword(word, value));
    if (!isSecret) continue;

    entities.push({ type: 'SECRET', start, end: start + value.length, score: 0.85, detector: 'secret:stated' });
  }

  return entities;
}

function detectCredentialPairs(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of matchNearAnchors(
    text,
    text.matchAll(credentialPairAnchor),
    [credentialPairPattern, commandLinePasswordPattern],
    'nextLine'
  )) {
    const written = match.groups!.value!;
    const value = written.replace(trailingProsePunctuationPattern, '');
    if (!isStatedSecret('password', value, 'label')) continue;

    const start = match.index + match[0].length - written.length;
    entities.push({ type: 'SECRET', start, end: start + value.length, score: 0.85, detector: 'secret:pair' });
  }

  return entities;
}

/**
 * Whether prose states a secret after its word. Passwords need something words lack: a digit, a symbol, or a capital
 * inside ("OrangeKettle"), so "is required" and "is case-sensitive" stay prose; after a verb, a capital starting one
 * word is the value's own ("the wifi password is Sunflower"), as the sentence began before. Written straight after the
 * word, with no verb or colon, they need letters and digits both ("password Pine2Cones!", not "password (optional)").
 */
function isStatedSecret(word: string, value: string, form: 'bare' | 'verb' | 'label') {
  // Backup and recovery codes come in groups: "4471-2093-8812", "4f9k-22ab"
  if (keypadCodePattern.test(word) && /^(?:\d{4,8}|(?=[a-z]*\d)[A-Za-z0-9]{4,8}(?:-[A-Za-z0-9]{4,8}){1,5})$/.test(value)) return true;
  if (!passwordWordPattern.test(word) && !keypadCodePattern.test(word)) return looksLikeRandomToken(value);
  // Digits alone are a password when stated as one ("password is 48213901"); key names' numbers are settings
  if (form !== 'bare' && /^\d{4,12}$/.test(value)) return true;
  // Placeholders and examples ("xxxxxxxx", "<password>") are never values
  if (!isPlausibleSecretValue(value, 'namedSecret', { quoted: true, compact: false })) return false;
  if (form === 'verb' && /^\p{Lu}\p{Ll}{5,}$/u.test(value)) return true;
  // Lower-case letters alone: a made-up word ("xupogixu") is a password, an English one ("required") is prose
  if (form !== 'bare' && /^\p{Ll}{6,}$/u.test(value)) return isLanguageModelLoaded() && !languageModel().englishWords.has(value);
  if (!isPlausibleSecretValue(value, 'namedSecret', { quoted: false, compact: false })) return false;

  return form === 'bare' ? /\d/.test(value) && /\p{L}/u.test(value) : /\d|[^\p{L}\p{N}'’()[\]-]|\p{Ll}\p{Lu}/u.test(value);
}

/** What may follow a value that ends its clause: the line's end, punctuation, a bracket or a conjunction */
const clauseEndPattern = /^(?:$|\r?\n|[.,;:!?)"'”]|[ \t]+(?:and|but|so|or|for|if|then|\(|[-–—])(?![\p{L}]))/u;
/** Nouns that say there is no password or whose it is, rather than being one */
const nonPasswordNouns = new Set(['none', 'nothing', 'mine', 'yours', 'blank', 'reset', 'same', 'lowercase', 'uppercase', 'plaintext']);

/**
 * An everyday noun stated as a password ("the wifi password is sunflower."): English words otherwise read as prose, so
 * compromise tags the word where it stands, a singular noun counts and an adjective ("is required") does not. Only
 * for a word that ends its clause, so "is reset every 90 days" stays prose.
 */
function isNounPassword(word: string, value: string) {
  if (!passwordWordPattern.test(word) || !/^\p{Ll}{4,24}$/u.test(value) || nonPasswordNouns.has(value) || !isLanguageModelLoaded())
    return false;

  const { nlp, englishWords } = languageModel();
  if (!englishWords.has(value)) return false;

  const tags = new Set(
    nlp(`the password is ${value}.`)
      .terms()
      .last()
      .json({ terms: { tags: true } })[0]?.terms[0]?.tags ?? []
  );
  return tags.has('Singular') && !['Uncountable', 'Date', 'Place', 'Pronoun'].some((tag) => tags.has(tag));
}

/**
 * The key-like word must be a whole part of the identifier: `DB_PASSWORD`, `apiKey` and `secret` qualify,
 * `monkey`, `Passenger` and `tokens` do not.
 */
function isNamePartBoundary(text: string, start: number, name: string, nameSuffix: string) {
  const before = text[start - 1];
  const startsPart =
    before == null ||
    !isLetter(before) ||
    (isLowerCase(before) && isUpperCase(name[0]!)) ||
    (isUpperCase(before) && isUpperCase(name[0]!) && isLowerCase(name[1]!));
  if (!startsPart) return false;

  const after = nameSuffix[0];
  return after == null || !isLetter(after) || (isLowerCase(name.at(-1)!) && isUpperCase(after));
}

function readAssignedValue(text: string, start: number) {
  const quote = text[start];
  if (quote === '"' || quote === "'" || quote === '`') {
    const closing = text.indexOf(quote, start + 1);
    if (closing === -1 || closing - start > 512 || text.slice(start + 1, closing).includes('\n')) return undefined;

    return { start: start + 1, text: text.slice(start + 1, closing), quoted: true };
  }

  const unquoted = /^[^\s,;'"`<>(){}[\]]{1,512}/.exec(text.slice(start, start + 513));
  if (unquoted == null) return undefined;

  return { start, text: unquoted[0].replace(/[.:?]+$/, ''), quoted: false };
}

function isLetter(char: string) {
  return char.toLowerCase() !== char.toUpperCase();
}

function isLowerCase(char: string) {
  return isLetter(char) && char === char.toLowerCase();
}

function isUpperCase(char: string) {
  return isLetter(char) && char === char.toUpperCase();
}
