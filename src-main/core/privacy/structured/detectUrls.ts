import type { EntityCandidate } from '../types';
import { isPlausibleSecretValue, isSecretParameterName, providerTokenPattern, shannonEntropy } from './secretValues';

/** Any scheme: a password in the userinfo is a credential in ssh://, git://, smb:// and jdbc URLs as much as in https:// */
/**
 * A comma ends a URL unless a digit follows (map coordinates "@51.5,-0.12"): in CSV rows the next cell follows it. "^" is
 * allowed, as it appears in the passwords of connection strings.
 */
const urlPattern = /\b(?:[a-z][a-z0-9+.-]{1,24}:\/\/|www\.)(?:[^\s<>"'`{}|\\[\],]|,(?=-?\d)){1,2048}/gi;
const webUrlPattern = /^(?:(?:https?|ftps?|wss?):\/\/|www\.)/i;
const userinfoPasswordPattern = /^[a-z+]+:\/\/[^\s:@/]{0,128}:[^\s@/]{1,256}@/i;
const webhookPathPattern =
  /^https:\/\/(?:hooks\.slack\.com\/(?:services|workflows)\/|(?:discord|discordapp)\.com\/api\/webhooks\/|[\w.-]+\.webhook\.office\.com\/)/i;
const trailingPunctuationPattern = /[.,;:!?'"]+$/;
const containsProviderToken = new RegExp(providerTokenPattern.source);

/**
 * Finds web URLs, and reports any URL that carries a credential (userinfo password, secret query
 * parameter, provider key, webhook path) as a SECRET as a whole, so no part of the credential survives.
 */
export function detectUrls(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(urlPattern)) {
    const url = trimUrl(match[0]);
    const end = match.index + url.length;
    if (carriesCredential(url)) entities.push({ type: 'SECRET', start: match.index, end, score: 0.97, detector: 'secret:url' });
    else if (webUrlPattern.test(url)) entities.push({ type: 'URL', start: match.index, end, score: 0.9, detector: 'url' });
  }

  return entities;
}

function trimUrl(url: string) {
  let trimmed = url.replace(trailingPunctuationPattern, '');
  while (trimmed.endsWith(')') && countOf(trimmed, '(') < countOf(trimmed, ')'))
    trimmed = trimmed.slice(0, -1).replace(trailingPunctuationPattern, '');

  return trimmed;
}

/** A hook's or key's path segment, whose later segments hold the secret: Zapier's /hooks/catch/…, IFTTT's /with/key/… */
const secretPathMarkerPattern = /^(?:webhooks?|hooks?|incomingwebhook|key|keys|token|tokens|secret)$/i;

/** A random segment after a hook or key segment in the path: "https://hooks.zapier.com/hooks/catch/4471/ab12cd34ef/" */
function hasSecretPathSegment(url: string) {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0]!;
  const segments = path.split('/').filter(Boolean);
  if (segments.some(isCapabilityToken)) return true;

  const marker = segments.findIndex((segment) => secretPathMarkerPattern.test(segment));
  return (
    marker !== -1 &&
    segments
      .slice(marker + 1)
      .some(
        (segment) =>
          segment.length >= 10 && /\d/.test(segment) && /[A-Za-z]/.test(segment) && !hasWordPart(segment) && shannonEntropy(segment) >= 3
      )
  );
}

/**
 * A path segment that alone grants access, as in reset, invite and share links ("/s/Xk92hfq2LmZp7QwR"): upper and lower
 * case letters and digits mixed at random. Commit hashes and UUIDs are lower-case hex, and are not credentials.
 */
function isCapabilityToken(segment: string) {
  return (
    segment.length >= 16 &&
    /^[A-Za-z0-9_-]+$/.test(segment) &&
    /[A-Z]/.test(segment) &&
    /[a-z]/.test(segment) &&
    /\d/.test(segment) &&
    !hasWordPart(segment) &&
    characterClassChanges(segment) >= 0.4 * segment.length &&
    shannonEntropy(segment) >= 3.5
  );
}

/** Random tokens switch between capitals, small letters and digits at most characters; "GettingStarted2024" rarely */
function characterClassChanges(segment: string) {
  const classOf = (char: string) => (/[A-Z]/.test(char) ? 'upper' : /[a-z]/.test(char) ? 'lower' : 'other');
  let changes = 0;
  for (let index = 1; index < segment.length; index++) if (classOf(segment[index]!) !== classOf(segment[index - 1]!)) changes++;
  return changes;
}

/** "rotation-guide-2024" is a page's slug: a part of letters alone between dashes is a word, which random tokens lack */
function hasWordPart(segment: string) {
  return segment.split(/[-_.~]/).some((part) => /^[A-Za-z]{4,}$/.test(part));
}

const passwordParameterPattern = /^(?:[a-z0-9]+[_-]?)*(?:password|passwd|pwd|pass)$/i;

function carriesCredential(url: string) {
  if (userinfoPasswordPattern.test(url) || webhookPathPattern.test(url) || hasSecretPathSegment(url)) return true;

  if (containsProviderToken.test(url)) return true;

  const queryStart = url.search(/[?#]/);
  if (queryStart === -1) return false;

  return url
    .slice(queryStart + 1)
    .split(/[&;#]/)
    .some((parameter) => {
      const separator = parameter.indexOf('=');
      if (separator <= 0) return false;

      const name = parameter.slice(0, separator);
      const value = parameter.slice(separator + 1);
      return (
        isSecretParameterName(name) &&
        isPlausibleSecretValue(decodeURIComponentSafely(value), 'namedSecret', { quoted: false, compact: true }) &&
        // A person's password may be short ("hunter2"); a key or code that short is more often a setting
        value.length >= (passwordParameterPattern.test(name) ? 4 : 8)
      );
    });
}

function decodeURIComponentSafely(value: string) {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function countOf(text: string, char: string) {
  let count = 0;
  for (const c of text) if (c === char) count++;

  return count;
}
