// Pure (no electron import): which URLs count as the app's own page, and what that page may use.

/**
 * The app's own origin: app://enclave for the built renderer, the dev server's origin in
 * development. Scheme and host are compared directly because Node's URL gives custom schemes
 * an opaque "null" origin.
 */
export function trustedPageCheck(pageUrl: string): (url: string) => boolean {
  const trusted = new URL(pageUrl);
  return (url) => {
    try {
      const candidate = new URL(url);
      return candidate.protocol === trusted.protocol && candidate.host.toLowerCase() === trusted.host.toLowerCase();
    } catch {
      return false;
    }
  };
}

/**
 * Every permission check and request is refused, except writing text to the clipboard from the
 * app's own page (the copy buttons; Chromium still wants a click for it). No camera, microphone,
 * screen capture, notifications, devices or clipboard reads, for any page.
 */
export function allowsPermission(permission: string, requestingUrl: string, isTrustedPage: (url: string) => boolean): boolean {
  return permission === 'clipboard-sanitized-write' && isTrustedPage(requestingUrl);
}

/** Switches that open the app to a debugger: refused in a packaged build. */
export const DEBUG_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-wait'
] as const;

/**
 * The first debugging switch on a command line, as Chromium and Node would read it: `--x`,
 * `--x=value` or `-x` (and `/x` on Windows, where switches are case-insensitive), until a bare `--`.
 */
export function findDebugSwitch(argv: readonly string[], platform = process.platform): string | null {
  const prefixes = platform === 'win32' ? ['--', '-', '/'] : ['--', '-'];
  for (const arg of argv) {
    if (arg === '--') return null;
    const prefix = prefixes.find((p) => arg.startsWith(p));
    if (!prefix) continue;
    let name = arg.slice(prefix.length).split('=')[0]!;
    if (platform === 'win32') name = name.toLowerCase();
    if ((DEBUG_SWITCHES as readonly string[]).includes(name)) return name;
  }
  return null;
}
