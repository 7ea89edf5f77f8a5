import type { EntityCandidate } from '../types';

const maxLocalPartLength = 64;
/** Internationalised domains too ("příklad.cz"): labels of any letters, and a top-level domain of letters or punycode */
const domainPattern =
  /(?:[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?\.){1,8}(?:\p{L}{2,24}|xn--[a-z0-9-]{1,59})(?![\p{L}\p{N}\p{M}-])/uy;
/** "jan%40example.com" in URLs and logs, where the @ is percent-encoded */
const encodedAt = '%40';
/** Written to fool harvesters: "jan (at) example (dot) com", "jan[at]example.com" */
const obfuscatedEmailPattern =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}[ \t]{0,2}[([{][ \t]{0,2}at[ \t]{0,2}[)\]}][ \t]{0,2}[\p{L}\p{N}-]{1,63}(?:[ \t]{0,2}(?:[([{][ \t]{0,2}dot[ \t]{0,2}[)\]}]|\.)[ \t]{0,2}[\p{L}\p{N}-]{1,63}){1,4}/giu;

/**
 * Finds email addresses by anchoring on each `@` and scanning outwards with bounded steps,
 * which keeps the cost linear even for text made of `@` signs or endless local-part characters.
 */
export function detectEmails(text: string): EntityCandidate[] {
  const entities = [...addressesAround(text, '@'), ...(text.includes(encodedAt) ? addressesAround(text, encodedAt) : [])];
  if (/[([{][ \t]{0,2}at[ \t]{0,2}[)\]}]/i.test(text))
    for (const match of text.matchAll(obfuscatedEmailPattern))
      entities.push({ type: 'EMAIL', start: match.index, end: match.index + match[0].length, score: 0.9, detector: 'email:obfuscated' });

  return entities;
}

function addressesAround(text: string, separator: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  let at = text.indexOf(separator);
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < maxLocalPartLength && isLocalPartChar(text, start - 1)) start--;

    while (start < at && text[start] === '.') start++;

    domainPattern.lastIndex = at + separator.length;
    const domain = start < at ? domainPattern.exec(text) : null;
    if (domain != null) {
      const end = at + separator.length + domain[0].length;
      entities.push({ type: 'EMAIL', start, end, score: 0.98, detector: 'email' });
      at = text.indexOf(separator, end);
    } else at = text.indexOf(separator, at + 1);
  }

  return entities;
}

/** ASCII letters, digits and . _ % + -, or any letter or mark: local parts may be Unicode ("zoë@", "jan.novák@") */
function isLocalPartChar(text: string, index: number) {
  const code = text.charCodeAt(index);
  if (code < 128)
    return (
      (code >= 97 && code <= 122) ||
      (code >= 65 && code <= 90) ||
      (code >= 48 && code <= 57) ||
      code === 46 ||
      code === 95 ||
      code === 37 ||
      code === 43 ||
      code === 45
    );

  return /[\p{L}\p{M}]/u.test(text[index]!);
}
