import type { EntityCandidate } from '../types';
import { isPlausibleSecretValue, providerTokenPattern, secretParameterNamePattern } from './secretValues';

/** Any scheme: a password in the userinfo is a credential in ssh://, git://, smb:// and jdbc URLs as much as in https:// */
const urlPattern = /\b(?:[a-z][a-z0-9+.-]{1,24}:\/\/|www\.)[^\s<>"'`{}|\\^[\]]{1,2048}/gi;
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

function carriesCredential(url: string) {
  if (userinfoPasswordPattern.test(url) || webhookPathPattern.test(url)) return true;

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
        secretParameterNamePattern.test(name) &&
        isPlausibleSecretValue(decodeURIComponentSafely(value), 'namedSecret', { quoted: false, compact: true }) &&
        value.length >= 8
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
