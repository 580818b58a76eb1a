// `npm test`: lint, type check (the finframe/react type tests among it), build, browser tests
// (Chromium, Firefox, WebKit; React 19 and 18 apps bundled by scripts/wtr-react.mjs, and the CDN loader's
// among them, against the built dist/cdn/), Node tests on this Node and again on Node 24 (the docs'
// links and the Shopify extension's theme check among them), and the generated files (custom-elements.json, the API
// tables of the element pages in docs/elements/) regenerated and unchanged. Ends with one line
// `N passed, N failed` counting every test plus each check step, which is what CI reads.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24_VERSION, node24, node24Env, setUpNode24 } from './node24.mjs';

// `npm test -- --browsers firefox` (or chromium, webkit, or a comma list) runs the browser tests in
// those engines only; other arguments go to web-test-runner (e.g. a test file).
const extra = process.argv.slice(2);
const at = extra.indexOf('--browsers');
if (at >= 0) {
  process.env.FINFRAME_BROWSERS = extra[at + 1] ?? '';
  extra.splice(at, 2);
}
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const started = Date.now();

function run(label, command, args, { capture = false, env } = {}) {
  const t0 = Date.now();
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', ...(env ? { env } : {}) });
  if (capture) process.stdout.write(result.stdout ?? '');
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { ok, stdout: result.stdout ?? '' };
}

function step(label, command, args) {
  const { ok } = run(label, command, args);
  if (ok) totals.passed++;
  else {
    totals.failed++;
    failures.push(label);
  }
  return ok;
}

const bin = (name) => `node_modules/.bin/${name}`;

step('lint', bin('eslint'), ['.']);
step('type check', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
// The Angular app has legacy decorators, as Angular needs: its own tsconfig.
step('type check (the Angular app)', bin('tsc'), ['--noEmit', '-p', 'test/frameworks/angular/tsconfig.json']);

// The build comes before the browser tests: the Shopify extension's browser test serves the built
// extension assets (dist/cdn/ copied into integrations/shopify/extensions/finframe/assets/) and its
// fake app runs dist/server; the CDN loader's tests load dist/cdn/ as built.
const built = step('build', 'npm', ['run', '-s', 'build']);

rmSync('.tmp/browser-results.json', { force: true });
const browser = run(`browser tests (web-test-runner: ${process.env.FINFRAME_BROWSERS ?? 'chromium,firefox,webkit'})`, bin('web-test-runner'), extra);
try {
  const counts = JSON.parse(readFileSync('.tmp/browser-results.json', 'utf8'));
  totals.passed += counts.passed;
  totals.failed += counts.failed + counts.errors;
  totals.skipped += counts.skipped;
  if (counts.failed + counts.errors > 0 || !browser.ok) failures.push('browser tests');
  if (!browser.ok && counts.failed + counts.errors === 0) totals.failed++;
} catch {
  totals.failed++;
  failures.push('browser tests (no results)');
}

/** Every Node test file (Node 20 takes no globs, so they are listed here). */
const NODE_TEST_FILES = readdirSync('test/node', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.mjs'))
  .sort()
  .map((file) => join('test/node', file));

/** `node --test` over the Node test files with `execPath`; counts its TAP summary into the totals. */
function nodeTests(line, execPath, env) {
  // A glob, not the folder: Node 22+ reads `--test test/node/` as one file to import.
  const node = run(`Node tests on ${line} (SSR imports, package shape, the framework type checkers, server, docs links, the CDN folder, the Shopify extension, the Magento module with php and xmllint)`, execPath, ['--test', '--test-reporter=tap', ...NODE_TEST_FILES], { capture: true, env });
  const pass = Number(/^# pass (\d+)/m.exec(node.stdout)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(node.stdout)?.[1] ?? 0);
  totals.passed += pass;
  totals.failed += fail + (node.ok || fail > 0 ? 0 : 1);
  if (!node.ok) failures.push(`Node tests on ${line}`);
}

if (built) {
  nodeTests(`Node ${process.versions.node}`, process.execPath);
  // The same suite on Node 24 (Node 20 reached end of life in April 2026): the binary and a
  // better-sqlite3 built for it come from .ci/run (scripts/node24.mjs); the preloaded hooks point
  // `better-sqlite3` at that build, in child processes too. Run after the first, not beside it:
  // the suite has timing-sensitive server tests and the machines have two shared cores.
  // Set up on first use (a one-time ~15 s download and ~90 s compile), so `npm test` alone works on
  // a fresh machine, as the README's Quick start promises.
  let n24 = node24();
  if (!n24.ready) {
    try {
      n24 = setUpNode24();
    } catch (error) {
      console.log(`\n✘ Node tests on Node 24: could not set it up (${error instanceof Error ? error.message : error}).\n  \`node scripts/node24.mjs\` fetches Node ${NODE24_VERSION} and builds better-sqlite3 for it.`);
    }
  }
  if (n24.ready) nodeTests(`Node ${NODE24_VERSION}`, n24.node, node24Env(n24));
  else {
    totals.failed++;
    failures.push(`Node tests on Node 24 (not set up: missing ${n24.missing.join('; ')})`);
  }
  // The demo `npm start` serves, driven in Chromium: the fake flow, the gate, slots, modal, timeout.
  const demo = run('demo smoke test (npm start\'s demo in Chromium)', process.execPath, ['demo/smoke.mjs', '.tmp/demo-shots'], { capture: true });
  const line = /^(\d+) passed, (\d+) failed/m.exec(demo.stdout);
  totals.passed += Number(line?.[1] ?? 0);
  totals.failed += Number(line?.[2] ?? 0) + (demo.ok || Number(line?.[2]) > 0 ? 0 : 1);
  if (!demo.ok) failures.push('demo smoke test');
}
step('custom-elements.json and the API tables in docs/elements/ regenerated and unchanged', process.execPath, ['scripts/docs.mjs', '--check']);
step('the framework typings in types/ regenerated from custom-elements.json and unchanged', process.execPath, ['scripts/framework-types.mjs', '--check']);

console.log(`\n${failures.length ? `Failed: ${failures.join(', ')}` : 'All checks passed.'} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
