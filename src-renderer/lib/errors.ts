export interface UserFacingError {
  /** Null when the error arrived without one (a plain Error, or one whose code was lost on the way). */
  code: string | null;
  message: string;
}

/** Bridge errors carry a code and a message written for the user; keep both, whatever was thrown. */
export function toUserFacingError(error: unknown): UserFacingError {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : null, message: error.message };
  }
  return { code: null, message: String(error) };
}
