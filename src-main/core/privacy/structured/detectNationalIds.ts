import type { EntityCandidate } from '../types';
import { nationalIdFormats } from './nationalIdFormats';

const contextLength = 64;

/**
 * For formats that need context, the context's words alone (its pattern without the anchored tail
 * `[^\n…]{0,N}$`): when they occur nowhere in the text, the format's scan is skipped.
 */
const contextWordsByFormat = new Map(
  nationalIdFormats.flatMap((format) => {
    const tail = /\[\^\\n(?:\\d)?\]\{0,\d+\}\$$/;
    const source = format.requiredContext?.source;
    return source != null && tail.test(source)
      ? [[format, new RegExp(source.replace(tail, ''), format.requiredContext!.flags)] as const]
      : [];
  })
);

export function detectNationalIds(text: string): EntityCandidate[] {
  const entities: EntityCandidate[] = [];
  for (const format of nationalIdFormats) {
    if (contextWordsByFormat.get(format)?.test(text) === false) continue;

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
