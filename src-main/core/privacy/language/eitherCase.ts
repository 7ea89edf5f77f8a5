/**
 * "visiting lives" → "[Vv]isiting|[Ll]ives": cue words that match capitalised at a sentence's start, inside patterns
 * that cannot take the `i` flag because the words after the cue must be capitalised.
 */
export function eitherCase(words: string) {
  return words
    .split(' ')
    .map((word) => `[${word[0]!.toUpperCase()}${word[0]}]${word.slice(1)}`)
    .join('|');
}
