import { PII_TYPES, type PiiType } from '../types';

/** Matches `[TYPE_N]` for every known type; N starts at 1. Types are alternatives, so the scan stays linear. */
export const placeholderPattern = new RegExp(`\\[(${PII_TYPES.join('|')})_([1-9]\\d{0,8})\\]`, 'g');

const maxTypeLength = Math.max(...PII_TYPES.map((type) => type.length));

/** Longest text a placeholder can take: brackets, type, underscore and a nine-digit number. */
export const maxPlaceholderLength = maxTypeLength + 12;

export function formatPlaceholder(type: PiiType, index: number) {
  return `[${type}_${index}]`;
}

/** Whether `text` could still grow into a placeholder, e.g. `"[PER"` or `"[PERSON_1"`, but is not one yet. */
export function isPlaceholderPrefix(text: string) {
  if (!text.startsWith('[') || text.length > maxPlaceholderLength || text.includes(']')) return false;

  const body = text.slice(1);
  return PII_TYPES.some((type) => {
    if (body.length <= type.length) return type.startsWith(body);

    const number = body.slice(type.length + 1);
    return body.startsWith(type + '_') && /^(?:[1-9]\d{0,8})?$/.test(number);
  });
}
