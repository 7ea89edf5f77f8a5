import type { EntityCandidate } from '../types';

const macPattern =
  /(?<![\w:.-])(?:[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:-]|\.\w)/g;

export function detectMacAddresses(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const match of text.matchAll(macPattern)) {
    // Cisco dotted form needs a letter, or it is just three numbers
    if (match[1] == null && !/[A-Fa-f]/.test(match[0])) continue;

    entities.push({ type: 'MAC_ADDRESS', start: match.index, end: match.index + match[0].length, score: 0.92, detector: 'mac' });
  }

  return entities;
}
