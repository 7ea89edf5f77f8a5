import type { EntityCandidate } from '../types';
import { nationalIdFormats } from './nationalIdFormats';

const contextLength = 64;

export function detectNationalIds(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const format of nationalIdFormats) {
    for (const match of text.matchAll(format.pattern)) {
      if (!format.isValid(match[0])) continue;

      const before = text.slice(Math.max(0, match.index - contextLength), match.index);
      if (format.requiredContext != null && !format.requiredContext.test(before)) continue;

      const hasContext = format.requiredContext != null || format.supportingContext?.test(before) === true;
      entities.push({
        type: 'NATIONAL_ID',
        start: match.index,
        end: match.index + match[0].length,
        score: hasContext ? 0.98 : 0.9,
        detector: `nationalId:${format.id}`
      });
    }
  }

  return entities;
}
