// electron-builder configuration for `npm run dist`
// (npm run build && node scripts/prepareElectronNative.mjs --dist && electron-builder --config electron-builder.config.cjs).
//
// Native modules: npmRebuild is off. node_modules keeps its Node-ABI builds (the JS of
// better-sqlite3 is still used from there, with `nativeBinding`), and the Electron-ABI builds
// made by scripts/prepareElectronNative.mjs are shipped from .electron-native/ and unpacked
// next to app.asar, where scripts/electronNativePaths.mjs looks for them:
//   <resources>/app.asar.unpacked/.electron-native/node_modules/{better-sqlite3,keytar}/...
// test/packaging.test.ts checks that this file and that resolver agree.
const pkg = require('./package.json');

const ELECTRON_NATIVE_DIR = '.electron-native';

// deb needs a homepage and a maintainer e-mail; package.json has neither yet, so fall back to
// reserved placeholder values (.invalid) until it does.
const homepage = pkg.homepage || 'https://enclave.invalid';
const authorEmail = typeof pkg.author === 'object' && pkg.author && pkg.author.email;
const maintainer = authorEmail
  ? `${pkg.author.name} <${authorEmail}>`
  : `${typeof pkg.author === 'string' ? pkg.author : 'Enclave'} <maintainers@enclave.invalid>`;

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'app.enclave.desktop',
  productName: 'Enclave',
  copyright: `Copyright © ${new Date().getFullYear()} Enclave`,
  artifactName: '${productName}-${version}-${os}-${arch}.${ext}',
  // No icons yet (resources/icons/ does not exist): every target uses Electron's default icon.
  directories: {
    output: 'dist'
  },
  ...(pkg.homepage ? {} : { extraMetadata: { homepage } }),

  // What goes into app.asar. node_modules (production dependencies only) are added by
  // electron-builder itself; the `!` patterns below also apply to them.
  files: [
    'out/**',
    'package.json',
    'resources/**',
    // Electron-ABI native builds (prepareElectronNative.mjs prunes them to their run-time files).
    // One `**` pattern on purpose: electron-builder matches nested node_modules folders as
    // "<dir>/node_modules/", which a pattern naming a deeper file does not match.
    `${ELECTRON_NATIVE_DIR}/**`,
    `!${ELECTRON_NATIVE_DIR}/package.json`,
    // Never shipped: sources, tests, tooling, caches, models, source maps.
    '!{src-main,src-preload,src-renderer,test,e2e,scripts,bin,dist,test-results,playwright-report}{,/**}',
    '!**/.cache{,/**}',
    '!**/.vitest{,/**}',
    '!**/*.gguf',
    '!**/*.map',
    '!**/*.{md,markdown}',
    '!{tsconfig*.json,vitest.config.ts,electron.vite.config.ts,playwright.config.ts,drizzle.config.ts,electron-builder.config.cjs}',
    // better-sqlite3 in node_modules is used for its JS only (nativeBinding points at .electron-native).
    '!**/node_modules/better-sqlite3/{deps,src,build/deps}{,/**}',
    '!**/node_modules/better-sqlite3/build/Release/{obj,obj.target,.deps}{,/**}',
    '!**/node_modules/better-sqlite3/build/Release/{sqlite3.a,test_extension.node}',
    '!**/node_modules/keytar/{src,build/Release/obj.target,build/Release/.deps}{,/**}'
  ],
  // smartUnpack would unpack every package holding a binary whole, JavaScript included; only the
  // files below leave app.asar, so asar integrity (the fuse below) covers all of the JavaScript.
  asar: { smartUnpack: false },
  // Native code cannot be loaded (dlopen) or executed from inside app.asar.
  asarUnpack: [
    '**/*.node',
    // llama.cpp's prebuilt binaries (the addon, its shared libraries, Metal shaders) and local builds.
    'node_modules/@node-llama-cpp/*/bins/**',
    'node_modules/node-llama-cpp/bins/**',
    'node_modules/node-llama-cpp/llama/localBuilds/**',
    // GBNF text, not code: node-llama-cpp looks for this folder with fs.access, which Electron's asar
    // support answers ENOENT for a folder inside the archive (getGrammarFor('json') would fail).
    'node_modules/node-llama-cpp/llama/grammars/**',
    // sqlite-vec's loadable extension (vec0.so/.dylib/.dll): SQLite dlopens it by path (src-main/core/documents/retrieval/loadSqliteVec.ts).
    'node_modules/sqlite-vec-*/vec0.*',
    // The Electron-ABI builds; keytar's JS is loaded from app.asar.unpacked (scripts/electronNativePaths.mjs).
    `${ELECTRON_NATIVE_DIR}/**`
  ],

  // The Electron-ABI builds come from scripts/prepareElectronNative.mjs; do not let
  // electron-builder rebuild node_modules in place (that would break the CLI and the tests).
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,

  // Flipped in the packaged Electron binary, right before signing.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    // The renderer is served from app:// (src-main/electron/registerAppProtocol.ts), so file://
    // pages need none of Chromium's extra file-scheme privileges.
    grantFileProtocolExtraPrivileges: false
  },

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Utility',
    executableName: 'enclave',
    synopsis: 'Private, local-first AI desktop app',
    maintainer
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.productivity',
    hardenedRuntime: true
  },
  win: {
    target: ['nsis']
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true
  },
  publish: null
};
