export {PiiDetector, type PiiDetectorOptions, type DetectOptions} from "./PiiDetector.js";
export {UserDictionary, type UserDictionaryOptions, type UserDictionaryTerm} from "./UserDictionary.js";
export {PII_TYPES, LANGUAGE_PII_TYPES, type PiiType, type DetectedEntity} from "./types.js";
export {
    DetectionTimeoutError, DetectionAbortedError, InvalidUserDictionaryTermError, InvalidEntitySpanError
} from "./errors.js";
export {
    Pseudonymizer, type PseudonymizerOptions, type EntitySpan, type Redaction, type Replacement, type StreamRestorer
} from "./pseudonymization/Pseudonymizer.js";
export {InMemoryPseudonymVault, type PseudonymVault, type PseudonymVaultEntry} from "./pseudonymization/PseudonymVault.js";
export {pseudonymizationSystemMessage} from "./pseudonymization/pseudonymizationSystemMessage.js";
export {formatPlaceholder} from "./pseudonymization/placeholders.js";
