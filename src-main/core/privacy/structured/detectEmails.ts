import type { EntityCandidate } from '../types';

const maxLocalPartLength = 64;
const domainPattern = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

/**
 * Finds email addresses by anchoring on each `@` and scanning outwards with bounded steps,
 * which keeps the cost linear even for text made of `@` signs or endless local-part characters.
 */
export function detectEmails(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  let at = text.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && at - start < maxLocalPartLength && isLocalPartChar(text.charCodeAt(start - 1))) start--;

    while (start < at && text[start] === '.') start++;

    domainPattern.lastIndex = at + 1;
    const domain = start < at ? domainPattern.exec(text) : null;
    if (domain != null) {
      const end = at + 1 + domain[0].length;
      entities.push({ type: 'EMAIL', start, end, score: 0.98, detector: 'email' });
      at = text.indexOf('@', end);
    } else at = text.indexOf('@', at + 1);
  }

  return entities;
}

function isLocalPartChar(code: number) {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 ||
    code === 95 ||
    code === 37 ||
    code === 43 ||
    code === 45
  ); // . _ % + -
}
