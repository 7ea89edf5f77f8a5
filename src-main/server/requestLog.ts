export interface RequestLogEntry {
  method: string;
  /** The route pattern (e.g. /v1/models/:model), or the bare path, without query, for unmatched requests. */
  route: string;
  status: number;
  durationMs: number;
  /** The model the request used, once known. */
  model?: string;
  /** The client went away before the reply was complete. */
  aborted?: boolean;
}

/**
 * Where the server reports. It never receives bodies, tokens or Authorization headers, and every
 * string in an entry that a client chose (path, method, model) is already fit for one log line.
 */
export interface ApiLogger {
  request(entry: RequestLogEntry): void;
  /** Unexpected failures (the 500s): a bug to look at. */
  error(error: unknown, entry: RequestLogEntry): void;
}

const MAX_LOGGED_PATH = 100;
const MAX_LOGGED_TEXT = 128;

// C0 controls (CR, LF, ESC…), DEL, C1 controls, Unicode line/paragraph separators and bidi
// overrides: anything that could end a log line, recolour a terminal or reorder what is shown.
const UNSAFE_IN_LOG = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A client-supplied string (a model name, a method) fit for a log line: one line, no escapes, bounded. */
export function sanitizeForLog(value: string, max = MAX_LOGGED_TEXT): string {
  const safe = value.replace(UNSAFE_IN_LOG, '?');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** A path fit for a log line: no query, printable ASCII only, bounded. */
export function sanitizePath(path: string): string {
  const printable = path.replace(/[^\x21-\x7e]/g, '?');
  return printable.length > MAX_LOGGED_PATH ? `${printable.slice(0, MAX_LOGGED_PATH)}…` : printable || '(none)';
}
