export { PiiDetector, type PiiDetectorOptions, type DetectOptions } from './PiiDetector';
export { UserDictionary, type UserDictionaryOptions, type UserDictionaryTerm } from './UserDictionary';
export { PII_TYPES, LANGUAGE_PII_TYPES, type PiiType, type DetectedEntity } from './types';
export { DetectionTimeoutError, DetectionAbortedError, InvalidUserDictionaryTermError, InvalidEntitySpanError } from './errors';
export {
  Pseudonymizer,
  type PseudonymizerOptions,
  type EntitySpan,
  type Redaction,
  type Replacement,
  type StreamRestorer
} from './pseudonymization/Pseudonymizer';
export { InMemoryPseudonymVault, type PseudonymVault, type PseudonymVaultEntry } from './pseudonymization/PseudonymVault';
export { pseudonymizationSystemMessage } from './pseudonymization/pseudonymizationSystemMessage';
export { formatPlaceholder } from './pseudonymization/placeholders';
