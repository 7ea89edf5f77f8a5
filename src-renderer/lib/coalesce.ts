/**
 * Wraps an async refresh so calls made while it runs fold into one more run after it (never two at once,
 * never a result older than the last call). Every caller's promise settles when the runs it asked for end.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
