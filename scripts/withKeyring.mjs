#!/usr/bin/env node
// Runs a command with a throwaway Secret Service, so that keychain code (keytar → libsecret) is
// tested against a real keychain on Linux, including headless build machines:
//
//   node scripts/withKeyring.mjs vitest run [args...]
//
// On Linux: a private D-Bus session (dbus-run-session) with gnome-keyring-daemon's secrets component,
// its login keyring created and unlocked with a random password in a temporary folder (the user's
// own keyrings are never touched), removed afterwards. The command's exit code is passed on.
// Elsewhere (macOS, Windows), or with ENCLAVE_KEYRING=system, the command runs as it is, against the
// user's keychain. Needs the Debian packages dbus and gnome-keyring on Linux.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

// $1 is the keyring folder, the rest is the command (passed as arguments: no quoting issues).
// gnome-keyring-daemon forks and returns before it has claimed org.freedesktop.secrets on the bus;
// the loop waits for that, or the first keytar call would D-Bus-activate a second daemon using the
// user's real ~/.local/share/keyrings.
const SESSION_SCRIPT = `
dir="$1"; shift
printf '%s' "$ENCLAVE_KEYRING_PASSWORD" | XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir" gnome-keyring-daemon --unlock --components=secrets >/dev/null || {
  echo "withKeyring: gnome-keyring-daemon did not start" >&2; exit 1; }
unset ENCLAVE_KEYRING_PASSWORD
if command -v dbus-send >/dev/null 2>&1; then
  i=0
  until dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
    i=$((i + 1))
    if [ "$i" -ge 200 ]; then echo "withKeyring: gnome-keyring-daemon did not register the Secret Service on D-Bus within 10 s" >&2; exit 1; fi
    sleep 0.05
  done
fi
exec "$@"
`;

function hasCommand(name) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' }).status === 0;
}

/** cmd.exe quoting for the direct run on Windows (where npm's .bin shims are .cmd files and need a shell). */
function windowsCommandLine(args) {
  return args.map((arg) => (/^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`)).join(' ');
}

/**
 * Runs the command with inherited stdio and resolves with its exit code (128 + n when killed by a signal).
 * Without a terminal (CI, a timeout wrapper) the child gets its own process group and a signal sent to
 * this script goes to the whole group: dbus-run-session does not pass signals on to its child, which would
 * otherwise keep running. With a terminal, Ctrl-C already reaches every process of the foreground group.
 */
function run(command, args, options) {
  return new Promise((resolve) => {
    const ownGroup = process.platform !== 'win32' && !process.stdin.isTTY;
    const child = spawn(command, args, { stdio: 'inherit', detached: ownGroup, ...options });
    const forward = (signal) => {
      try {
        if (ownGroup && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    for (const signal of Object.keys(SIGNAL_NUMBERS)) process.on(signal, forward);
    const done = (code, signal) => {
      for (const name of Object.keys(SIGNAL_NUMBERS)) process.off(name, forward);
      resolve(code ?? 128 + (SIGNAL_NUMBERS[signal] ?? 1));
    };
    child.on('error', (error) => {
      console.error(`withKeyring: could not start ${command}: ${error.message}`);
      done(127, null);
    });
    child.on('exit', done);
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    console.error('Usage: node scripts/withKeyring.mjs <command> [args...]');
    return 2;
  }
  if (process.platform !== 'linux' || process.env.ENCLAVE_KEYRING === 'system') {
    if (process.platform === 'win32') return run(windowsCommandLine(args), [], { shell: true });
    return run(args[0], args.slice(1));
  }

  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((name) => !hasCommand(name));
  if (missing.length > 0) {
    console.error(
      `withKeyring: ${missing.join(' and ')} not found. The keychain tests need a real Secret Service: ` +
        'install the Debian packages dbus and gnome-keyring (sudo apt-get install dbus gnome-keyring), ' +
        'or set ENCLAVE_KEYRING=system to use the keychain of your own session instead.'
    );
    return 1;
  }

  const dir = mkdtempSync(join(tmpdir(), 'enclave-keyring-'));
  try {
    return await run('dbus-run-session', ['--', 'sh', '-c', SESSION_SCRIPT, 'withKeyring', dir, ...args], {
      env: { ...process.env, ENCLAVE_KEYRING_PASSWORD: randomBytes(24).toString('hex') }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
