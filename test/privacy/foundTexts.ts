import { PiiDetector } from '../../src-main/core/privacy/index';
import type { PiiType } from '../../src-main/core/privacy/index';

const detector = new PiiDetector();

/** The texts of the entities of one type found in `text`; names and places need `PiiDetector.loadLanguageAnalysis()` first */
export function found(text: string, type: PiiType) {
  return detector
    .detectSync(text)
    .filter((entity) => entity.type === type)
    .map((entity) => entity.text);
}
