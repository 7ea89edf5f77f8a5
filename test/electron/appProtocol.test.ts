// The pure parts of the Electron adapter: the app:// path rules, the trusted-page and permission
// policy, and the debugging-switch check. Real files under a real folder; no electron import.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_PAGE_URL, resolveAppProtocolPath } from '../../src-main/electron/resolveAppProtocolPath';
import { allowsPermission, findDebugSwitch, trustedPageCheck } from '../../src-main/electron/trustedPageCheck';

let base: string;
let renderer: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'enclave-app-protocol-'));
  renderer = join(base, 'out', 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  writeFileSync(join(renderer, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(renderer, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(renderer, 'assets', 'font.woff2'), '');
  writeFileSync(join(renderer, 'assets', 'blob.bin'), '');
  // Siblings of out/renderer that a traversal would reach.
  writeFileSync(join(base, 'out', 'secret.txt'), 'not for the page');
  writeFileSync(join(base, 'enclave.db'), 'chats');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const resolve = (url: string) => resolveAppProtocolPath(renderer, url);

describe('resolveAppProtocolPath', () => {
  it('serves the page and its assets from out/renderer with their MIME types', () => {
    expect(APP_PAGE_URL).toBe('app://enclave/index.html');
    expect(resolve(APP_PAGE_URL)).toEqual({ file: join(renderer, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolve('app://enclave/')).toEqual(resolve(APP_PAGE_URL));
    expect(resolve('app://enclave')).toEqual(resolve(APP_PAGE_URL));
    expect(resolve('app://enclave/assets/index-abc.js?v=1#x')).toEqual({
      file: join(renderer, 'assets', 'index-abc.js'),
      mimeType: 'text/javascript; charset=utf-8'
    });
    expect(resolve('app://enclave/assets/index-abc.css')?.mimeType).toBe('text/css; charset=utf-8');
    expect(resolve('app://enclave/assets/font.woff2')?.mimeType).toBe('font/woff2');
    expect(resolve('app://enclave/assets/blob.bin')?.mimeType).toBe('application/octet-stream');
    expect(resolve('app://enclave/assets/with%20space.js')?.file).toBe(join(renderer, 'assets', 'with space.js'));
    // What it names is a real file there.
    expect(readFileSync(resolve('app://enclave/assets/index-abc.js')!.file, 'utf8')).toBe('export {};');
  });

  it('never leaves out/renderer: plain and encoded dot segments stay inside, encoded separators are refused', () => {
    // The URL parser folds `..` and `%2e%2e` segments before anything else: what is left is inside.
    expect(resolve('app://enclave/../secret.txt')?.file).toBe(join(renderer, 'secret.txt'));
    expect(resolve('app://enclave/assets/../../secret.txt')?.file).toBe(join(renderer, 'secret.txt'));
    expect(resolve('app://enclave/%2e%2e/secret.txt')?.file).toBe(join(renderer, 'secret.txt'));
    expect(resolve('app://enclave/%2E%2E/%2e%2e/enclave.db')?.file).toBe(join(renderer, 'enclave.db'));
    // A separator hidden by encoding would only become one after decoding: refused outright.
    for (const url of [
      'app://enclave/..%2fsecret.txt',
      'app://enclave/assets/..%2F..%2Fsecret.txt',
      'app://enclave/..%5csecret.txt',
      'app://enclave/assets%2f..%2f..%2fenclave.db',
      'app://enclave/%2e%2e%2f%2e%2e%2fenclave.db',
      'app://enclave/..\\secret.txt',
      'app://enclave/assets/%00.js',
      'app://enclave/a//b.js',
      'app://enclave//etc/passwd',
      'app://enclave/C:/Windows/win.ini',
      'app://enclave/C%3A/Windows/win.ini',
      'app://enclave/%E0%A4%A'
    ])
      expect(resolve(url), url).toBeNull();
    // Double encoding decodes once, to a harmless literal name inside the root.
    expect(resolve('app://enclave/%252e%252e/secret.txt')?.file).toBe(join(renderer, '%2e%2e', 'secret.txt'));
  });

  it('answers only its own scheme and host, with no credentials or port', () => {
    for (const url of [
      `file://${join(renderer, 'index.html')}`,
      'https://enclave/index.html',
      'app://other/index.html',
      'app://enclave:8080/index.html',
      'app://user:pw@enclave/index.html',
      'app:///etc/passwd',
      'not a url'
    ])
      expect(resolve(url), url).toBeNull();
    expect(resolve('app://ENCLAVE/index.html')?.file).toBe(join(renderer, 'index.html'));
  });
});

describe('trustedPageCheck and allowsPermission', () => {
  const appPage = trustedPageCheck(APP_PAGE_URL);
  const devPage = trustedPageCheck('http://localhost:5173/');

  it('trusts only the app:// origin (or the dev server origin), never file:// or other hosts', () => {
    expect(appPage('app://enclave/index.html')).toBe(true);
    expect(appPage('app://enclave/assets/x.js')).toBe(true);
    expect(appPage('app://enclave')).toBe(true);
    for (const url of ['file:///index.html', 'app://evil/index.html', 'https://enclave/index.html', 'app://enclave:1/', 'garbage', ''])
      expect(appPage(url), url).toBe(false);
    expect(devPage('http://localhost:5173/index.html')).toBe(true);
    expect(devPage('http://localhost:5174/')).toBe(false);
    expect(devPage('https://localhost:5173/')).toBe(false);
  });

  it('allows clipboard writes from the app page and nothing else, for any page', () => {
    expect(allowsPermission('clipboard-sanitized-write', 'app://enclave', appPage)).toBe(true);
    expect(allowsPermission('clipboard-sanitized-write', 'https://example.com', appPage)).toBe(false);
    for (const permission of [
      'media',
      'display-capture',
      'notifications',
      'geolocation',
      'clipboard-read',
      'hid',
      'usb',
      'serial',
      'openExternal',
      'fileSystem',
      'unknown'
    ])
      expect(allowsPermission(permission, 'app://enclave', appPage), permission).toBe(false);
  });
});

describe('findDebugSwitch', () => {
  it('finds Chromium and Node debugging switches in every spelling', () => {
    expect(findDebugSwitch(['--remote-debugging-port=9222'], 'linux')).toBe('remote-debugging-port');
    expect(findDebugSwitch(['--remote-debugging-port', '9222'], 'linux')).toBe('remote-debugging-port');
    expect(findDebugSwitch(['-remote-debugging-port=9222'], 'linux')).toBe('remote-debugging-port');
    expect(findDebugSwitch(['--remote-debugging-pipe'], 'darwin')).toBe('remote-debugging-pipe');
    expect(findDebugSwitch(['--inspect'], 'linux')).toBe('inspect');
    expect(findDebugSwitch(['--inspect=0.0.0.0:9229'], 'linux')).toBe('inspect');
    expect(findDebugSwitch(['--inspect-brk=9229'], 'linux')).toBe('inspect-brk');
    expect(findDebugSwitch(['--data-dir', '/x', '--inspect-port=1'], 'linux')).toBe('inspect-port');
    expect(findDebugSwitch(['/Remote-Debugging-Port=9222'], 'win32')).toBe('remote-debugging-port');
    expect(findDebugSwitch(['--INSPECT'], 'win32')).toBe('inspect');
  });

  it('ignores ordinary arguments, look-alikes, and anything after a bare --', () => {
    expect(findDebugSwitch([], 'linux')).toBeNull();
    expect(findDebugSwitch(['--data-dir=/tmp/inspect', '--inspector', 'inspect', '--no-sandbox-inspect'], 'linux')).toBeNull();
    expect(findDebugSwitch(['/remote-debugging-port=1'], 'linux')).toBeNull();
    expect(findDebugSwitch(['--INSPECT'], 'linux')).toBeNull();
    expect(findDebugSwitch(['--', '--inspect'], 'linux')).toBeNull();
  });
});
