// finframe benchmark: `npm run bench`. Prints figures, each beside a baseline measured in the same run.
//
//   1. Size        min+gzip (level 9) of the CDN bundle and of flinks-connect's define entry, built
//                  in memory with the production plugins of rollup.config.mjs, plus the floor
//                  (lit-html, zod/mini) those bundles cannot go below.
//   2. Gate        messages/s through <flinks-connect>'s message gate in headless Chromium, against a
//                  hand-written listener doing the same checks.
//   1b. CDN       dist/cdn/ built in memory: each file, and what a page with one tag downloads
//                  through the loader (bench/cdn.mjs).
//   3. First frame time from appendChild(<flinks-connect>) until its shadow root holds an <iframe>
//                  with a src, against a bare <iframe>.
//   3b. Loader    a tag appearing → its frame's src, loader against the bundle, fresh page loads
//                  (bench/cdn.mjs).
//   4. Server callbacks  finAPI callbacks/s through finframe/server on loopback (SQLite and memory
//                  stores, each server in a child process), against a bare Node HTTP handler
//                  that JSON.parses the same bodies; p50/p99 latency (bench/server.mjs).
//   5. FlexPay     verified FlexPay callbacks/s (RS256 receipt + SQLite) against the same bare
//                  handler; status-stream fan-out: RSS per watcher and the time one change takes
//                  to reach 500 / 2000 / 5000 SSE watchers (bench/server.mjs).
//   6. Stores      finAPI and FlexPay callbacks/s and p50/p99 on SQLite and PostgreSQL, with one and
//                  three receiver processes on one database, outbox included (bench/stores.mjs).
//
// Not a test: it exits 0 whether targets are met or not, and non-zero only when something crashes.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { puppeteerCore } from '@web/test-runner-chrome';
import { rollup } from 'rollup';
import { bundlePlugins } from '../rollup.config.mjs';
import { chromiumArgs, findChromium } from '../scripts/browsers.mjs';
import { measureValidation } from './validate.mjs';
import { CDN_TARGET, buildCdn, cdnSizes, measureCdnTiming, printCdnSizes, printCdnTiming } from './cdn.mjs';
import { measureCallbacks, measureFanout, measureFlexPay, printCallbacks, printFanout, printFlexPay } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(ROOT); // rollup.config.mjs resolves tsconfig.json relative to the working directory.

const CHROMIUM = findChromium();
const CHROMIUM_ARGS = chromiumArgs;

const TARGET = {
  elementGzip: 12_000, // bytes, flinks-connect define entry
  validPerSecond: 200_000, // validated messages/s through the gate
  overhead: 3, // × the hand-written listener
};
/**
 * Gate modes: `fresh` is the brief's method (a new MessageEvent per message); `reused` times the
 * listener alone. Each round measures every case for finframe, the baseline and a no-op listener,
 * in rotating order; the best round is reported.
 */
const GATE_ROUNDS = 3;
const GATE_MODES = [
  { name: 'fresh', label: 'A. new MessageEvent per message', fresh: true, warmupMs: 150, rewarmMs: 30, measureMs: 300 },
  { name: 'reused', label: 'B. one MessageEvent re-dispatched (dispatch + listener only, no constructor)', fresh: false, warmupMs: 100, rewarmMs: 20, measureMs: 150 },
];
const FIRST_FRAME = { runs: 200, warmup: 20 };

// ---------------------------------------------------------------------------------------------
// Output helpers

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n) => `${n.toFixed(3)} ms`;
const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
const verdict = (ok) => (ok ? 'MET' : 'NOT MET');
const section = (title) => console.log(`\n=== ${title} ${'='.repeat(Math.max(0, 76 - title.length))}`);

function table(headers, rows, align = headers.map(() => 'l')) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (align[i] === 'r' ? padL(c, widths[i]) : pad(c, widths[i]))).join('  ').trimEnd();
  console.log(`  ${line(headers)}`);
  console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) console.log(`  ${line(r)}`);
}

// ---------------------------------------------------------------------------------------------
// 1. Size

const suppressedWarnings = new Set();

/** Bundles one entry in memory exactly as the CDN build does; returns the minified code. */
async function bundle(input) {
  const build = await rollup({
    input,
    plugins: bundlePlugins(),
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
      // zod's sources carry comments next to @__PURE__ annotations that rollup drops with a warning; harmless.
      if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) {
        suppressedWarnings.add(`${warning.id.slice(warning.id.indexOf('node_modules'))}:${warning.loc?.line}`);
        return;
      }
      warn(warning);
    },
  });
  try {
    const { output } = await build.generate({ format: 'es' });
    if (output.length !== 1) throw new Error(`${input}: expected one chunk, got ${output.length}`);
    return output[0].code;
  } finally {
    await build.close();
  }
}

const gzipSize = (code) => gzipSync(Buffer.from(code), { level: 9 }).length;

/** Floor entries: what the element's bundle cannot go below. Written under bench/.tmp so that node resolution finds node_modules. */
const FLOOR_ENTRIES = {
  'lit-html': `import { html, render, nothing } from 'lit/html.js';\nexport { html, render, nothing };\n`,
  'zod-mini': `import * as z from 'zod/mini';\nconst S = z.looseObject({ step: z.string() });\nexport const parse = (v: unknown) => S.safeParse(v);\n`,
  'lit-html+zod-mini': `import { html, render, nothing } from 'lit/html.js';\nimport * as z from 'zod/mini';\nconst S = z.looseObject({ step: z.string() });\nexport const parse = (v: unknown) => S.safeParse(v);\nexport { html, render, nothing };\n`,
};

async function measureSizes() {
  const tmp = join(ROOT, 'bench', `.tmp-${process.pid}`);
  await mkdir(tmp, { recursive: true });
  try {
    const files = {};
    for (const [name, code] of Object.entries(FLOOR_ENTRIES)) {
      files[name] = join(tmp, `${name}.ts`);
      await writeFile(files[name], code);
    }
    const [cdn, element, flexiti, benji, finapi, flexpay, lit, zod, both] = await Promise.all([
      bundle(join(ROOT, 'src/define.ts')),
      bundle(join(ROOT, 'src/components/flinks-connect/define.ts')),
      bundle(join(ROOT, 'src/components/flexiti-widget/define.ts')),
      bundle(join(ROOT, 'src/components/benji-connect/define.ts')),
      bundle(join(ROOT, 'src/components/finapi-web-form/define.ts')),
      bundle(join(ROOT, 'src/components/flexpay-status/define.ts')),
      bundle(files['lit-html']),
      bundle(files['zod-mini']),
      bundle(files['lit-html+zod-mini']),
    ]);
    const size = (code) => ({ min: Buffer.byteLength(code), gz: gzipSize(code) });
    return { cdnCode: cdn, cdn: size(cdn), element: size(element), flexiti: size(flexiti), benji: size(benji), finapi: size(finapi), flexpay: size(flexpay), lit: size(lit), zod: size(zod), both: size(both) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

function printSizes(s) {
  section('1. Size (rollup + bundlePlugins(): production, minified, deps inlined; gzip -9)');
  table(
    ['bundle', 'min bytes', 'min+gzip bytes'],
    [
      ['(a) CDN bundle  src/define.ts  (= dist/cdn/finframe.js)', fmtInt(s.cdn.min), fmtInt(s.cdn.gz)],
      ['(b) flinks-connect  src/components/flinks-connect/define.ts', fmtInt(s.element.min), fmtInt(s.element.gz)],
      ['(c) flexiti-widget  src/components/flexiti-widget/define.ts', fmtInt(s.flexiti.min), fmtInt(s.flexiti.gz)],
      ['(d) benji-connect  src/components/benji-connect/define.ts', fmtInt(s.benji.min), fmtInt(s.benji.gz)],
      ['(e) finapi-web-form  src/components/finapi-web-form/define.ts (finAPI\'s loader inlined)', fmtInt(s.finapi.min), fmtInt(s.finapi.gz)],
      ['(f) flexpay-status  src/components/flexpay-status/define.ts', fmtInt(s.flexpay.min), fmtInt(s.flexpay.gz)],
      ['floor: lit-html  {html, render, nothing}', fmtInt(s.lit.min), fmtInt(s.lit.gz)],
      ['floor: zod/mini  one-field looseObject + safeParse', fmtInt(s.zod.min), fmtInt(s.zod.gz)],
      ['floor: both in one bundle', fmtInt(s.both.min), fmtInt(s.both.gz)],
    ],
    ['l', 'r', 'r'],
  );
  const ownVsBoth = s.element.gz - s.both.gz;
  const ownVsSum = s.element.gz - (s.lit.gz + s.zod.gz);
  console.log('');
  console.log(`  left for finframe's own code in (b): ${fmtInt(ownVsBoth)} B gzip  ((b) − combined floor ${fmtInt(s.both.gz)} B)`);
  console.log(`                                        ${fmtInt(ownVsSum)} B gzip  ((b) − lit-html − zod/mini, gzipped separately)`);
  console.log(`  floor share of (b): ${((s.both.gz / s.element.gz) * 100).toFixed(1)} %`);
  console.log(
    `  target (b) ≤ ${fmtInt(TARGET.elementGzip)} B: ${verdict(s.element.gz <= TARGET.elementGzip)}` +
      `  (${fmtInt(s.element.gz)} B, ${s.element.gz <= TARGET.elementGzip ? 'headroom' : 'over by'} ${fmtInt(Math.abs(TARGET.elementGzip - s.element.gz))} B)`,
  );
  for (const [label, entry] of [['(c)', s.flexiti], ['(d)', s.benji], ['(e)', s.finapi], ['(f)', s.flexpay]]) {
    console.log(
      `  target ${label} ≤ ${fmtInt(TARGET.elementGzip)} B: ${verdict(entry.gz <= TARGET.elementGzip)}` +
        `  (${fmtInt(entry.gz)} B, ${entry.gz <= TARGET.elementGzip ? 'headroom' : 'over by'} ${fmtInt(Math.abs(TARGET.elementGzip - entry.gz))} B)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Static server: one listener on 127.0.0.1 serves both origins, http://localhost:P (the page)
// and http://127.0.0.1:P (the frame). Every response makes the page cross-origin isolated so
// that performance.now() is precise to a few µs instead of 100 µs.

// The frame is on loopback, which the production bundle trusts only after the page's explicit,
// development-only opt-in: set before the bundle runs (module scripts run in document order).
const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>finframe bench</title></head>
<body><script type="module">globalThis[Symbol.for('finframe.allowLoopback')] = true;</script>
<script type="module" src="/finframe.js"></script></body></html>`;

// Posts one message to its parent, addressed to the parent's origin (never '*').
const FRAME_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench frame</title></head>
<body>bench frame<script>
  const parentOrigin = (location.ancestorOrigins && location.ancestorOrigins[0]) || new URL(document.referrer).origin;
  parent.postMessage({ step: 'APP_MOUNTED' }, parentOrigin);
</script></body></html>`;

function startServer(cdnCode) {
  const routes = {
    '/bench.html': ['text/html; charset=utf-8', PAGE_HTML],
    '/bench-frame.html': ['text/html; charset=utf-8', FRAME_HTML],
    '/finframe.js': ['text/javascript; charset=utf-8', cdnCode],
    '/favicon.ico': ['image/x-icon', ''],
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const route = routes[path];
    const headers = {
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    if (!route) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': route[0] }).end(route[1]);
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}

// ---------------------------------------------------------------------------------------------
// In-page code. These functions are serialized by puppeteer and run in the page: no closures.

/** Smallest observable step of performance.now(), and whether the page is cross-origin isolated. */
function pageTimerInfo() {
  let best = Infinity;
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    let b = a;
    while (b === a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return { isolated: self.crossOriginIsolated, resolutionMs: best };
}

async function pageGateBench({ frameUrl, frameOrigin, modes, rounds }) {
  const withTimeout = (promise, ms, what) =>
    Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))]);
  const once = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

  const valid = { step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' };
  const validJson = JSON.stringify(valid);
  const malformed = { step: 42 };
  const pageOrigin = location.origin;

  // expect: what each message must produce — 'event' (one provider-event), 'error' (one
  // provider-error, finframe only: the hand-written listener drops it silently), 'none'.
  const cases = (win) => [
    { name: 'valid step (object)', data: valid, origin: frameOrigin, source: win, expect: 'event', valid: true },
    { name: 'valid step (JSON string)', data: validJson, origin: frameOrigin, source: win, expect: 'event', valid: true },
    { name: 'wrong origin', data: valid, origin: pageOrigin, source: win, expect: 'none' },
    { name: 'wrong source (window)', data: valid, origin: frameOrigin, source: window, expect: 'none' },
    { name: 'malformed {step: 42}', data: malformed, origin: frameOrigin, source: win, expect: 'error' },
  ];

  /**
   * Dispatches messages on window for `ms`. `fresh`: a new MessageEvent per message (includes the
   * MessageEvent constructor). Otherwise one MessageEvent per case, dispatched again and again:
   * only the dispatch and the listener's work are timed.
   */
  const pump = (c, ms, fresh) => {
    const { data, origin, source } = c;
    const BATCH = 64;
    const reused = new MessageEvent('message', { data, origin, source });
    let sent = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    let t1;
    if (fresh) {
      do {
        for (let i = 0; i < BATCH; i++) window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
        sent += BATCH;
        t1 = performance.now();
      } while (t1 < end);
    } else {
      do {
        for (let i = 0; i < BATCH; i++) window.dispatchEvent(reused);
        sent += BATCH;
        t1 = performance.now();
      } while (t1 < end);
    }
    return { sent, ms: t1 - t0 };
  };

  const counters = (checkLast) => ({
    events: 0,
    errors: 0,
    last: undefined,
    checkLast,
    reset() {
      this.events = this.errors = 0;
      this.last = undefined;
    },
  });

  /** Every case in every mode, once. `errorsExpected`: each malformed message must give a provider-error. */
  const runCases = (win, counts, errorsExpected, round, out) => {
    for (const mode of modes) {
      for (const c of cases(win)) {
        pump(c, round === 0 ? mode.warmupMs : mode.rewarmMs, mode.fresh);
        counts.reset();
        const { sent, ms } = pump(c, mode.measureMs, mode.fresh);
        const { events, errors, last } = counts;
        const expectedEvents = c.expect === 'event' ? sent : 0;
        const expectedErrors = c.expect === 'error' && errorsExpected ? sent : 0;
        let verified = events === expectedEvents && errors === expectedErrors;
        if (verified && c.expect === 'event') verified = counts.checkLast(last);
        const perSecond = (sent / ms) * 1000;
        const key = `${mode.name}|${c.name}`;
        const prev = out.get(key);
        const row = { mode: mode.name, name: c.name, valid: !!c.valid, sent, ms, perSecond, events, errors, verified };
        row.perSecondAll = [...(prev?.perSecondAll ?? []), perSecond];
        row.verified = verified && (prev?.verified ?? true);
        row.sentTotal = sent + (prev?.sentTotal ?? 0);
        // Best round wins: on a busy machine the fastest slice is the least disturbed one.
        if (!prev || perSecond > prev.perSecond) out.set(key, row);
        else Object.assign(prev, { perSecondAll: row.perSecondAll, verified: row.verified, sentTotal: row.sentTotal });
      }
    }
  };

  await customElements.whenDefined('flinks-connect');

  // --- finframe: <flinks-connect src=…>, ready once the frame's APP_MOUNTED has passed the gate.
  // It is connected only during its own slices: its gate listens on window while connected.
  // Reconnecting starts a new session (a new <iframe>), so it waits for provider-ready each time.
  const el = document.createElement('flinks-connect');
  el.setAttribute('src', frameUrl);
  const ff = counters((e) => e?.detail?.name === 'INSTITUTION_SELECTED' && e.detail.data?.institution === 'FlinksCapital');
  el.addEventListener('provider-event', (e) => {
    ff.events++;
    ff.last = e;
  });
  el.addEventListener('provider-error', () => ff.errors++);
  let outcome = false;
  el.addEventListener('provider-outcome', () => (outcome = true));
  const statuses = new Set();
  const finframe = new Map();
  const runFinframe = async (round) => {
    const ready = once(el, 'provider-ready');
    document.body.appendChild(el);
    await withTimeout(ready, 10_000, 'provider-ready from the bench frame');
    const win = el.shadowRoot.querySelector('iframe').contentWindow;
    if (!win) throw new Error('no contentWindow');
    if (el.status !== 'ready') throw new Error(`element status is ${el.status}, expected ready`);
    runCases(win, ff, true, round, finframe);
    statuses.add(el.status);
    el.remove();
  };

  // --- baseline: a bare <iframe> to the same frame page and a hand-written listener.
  const host = document.createElement('div');
  document.body.appendChild(host);
  const frame = document.createElement('iframe');
  const loaded = once(frame, 'load');
  frame.src = frameUrl;
  host.appendChild(frame);
  await withTimeout(loaded, 10_000, 'baseline frame load');
  const bwin = frame.contentWindow;
  const bl = counters((e) => e?.detail?.step === 'INSTITUTION_SELECTED' && e.detail.institution === 'FlinksCapital');
  host.addEventListener('provider-event', (e) => {
    bl.events++;
    bl.last = e;
  });
  const listener = (event) => {
    if (event.source !== bwin || event.origin !== frameOrigin) return;
    let d = event.data;
    if (typeof d === 'string') {
      try {
        d = JSON.parse(d);
      } catch {
        return;
      }
    }
    if (typeof d === 'object' && d !== null && typeof d.step === 'string') {
      host.dispatchEvent(new CustomEvent('provider-event', { bubbles: true, composed: true, detail: d }));
    }
  };
  const baseline = new Map();
  const runBaseline = async (round) => {
    window.addEventListener('message', listener);
    runCases(bwin, bl, false, round, baseline);
    window.removeEventListener('message', listener);
  };

  // --- harness floor: the same messages to a listener that does nothing.
  const noop = () => {};
  const floor = new Map();
  const runFloor = async (round) => {
    window.addEventListener('message', noop);
    runCases(bwin, counters(() => true), false, round, floor);
    window.removeEventListener('message', noop);
  };

  // Rounds interleave the three, rotating who goes first, so that load spikes hit them alike.
  const slices = [runFinframe, runBaseline, runFloor];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < slices.length; i++) {
      await slices[(i + round) % slices.length](round);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  host.remove();

  const byMode = (map) => Object.fromEntries(modes.map((m) => [m.name, [...map.values()].filter((r) => r.mode === m.name)]));
  return {
    finframe: byMode(finframe),
    baseline: byMode(baseline),
    floor: byMode(floor),
    finalStatus: [...statuses].join(','),
    outcome,
  };
}

async function pageFirstFrame({ frameUrl, runs, warmup }) {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1));
  const guard = (reject) => setTimeout(() => reject(new Error('no <iframe src> within 5 s')), 5000);

  // <flinks-connect src=…>: from appendChild(el) until its shadow root holds an <iframe src>.
  const finframe = () =>
    new Promise((resolve, reject) => {
      const el = document.createElement('flinks-connect');
      el.setAttribute('src', frameUrl);
      const root = el.shadowRoot;
      const timer = guard(reject);
      let t0 = 0;
      const mo = new MutationObserver(() => {
        const f = root.querySelector('iframe');
        if (!f || !f.getAttribute('src')) return;
        const t = performance.now();
        mo.disconnect();
        clearTimeout(timer);
        el.remove();
        resolve(t - t0);
      });
      mo.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src'] });
      t0 = performance.now();
      document.body.appendChild(el);
    });

  // Bare <iframe>: createElement, set src, appendChild — timed from before createElement.
  const bare = () =>
    new Promise((resolve, reject) => {
      const parent = document.body;
      const timer = guard(reject);
      let t0 = 0;
      let f;
      const mo = new MutationObserver(() => {
        if (!f || !f.isConnected || !f.getAttribute('src')) return;
        const t = performance.now();
        mo.disconnect();
        clearTimeout(timer);
        f.remove();
        resolve(t - t0);
      });
      mo.observe(parent, { childList: true });
      t0 = performance.now();
      f = document.createElement('iframe');
      f.src = frameUrl;
      parent.appendChild(f);
    });

  await customElements.whenDefined('flinks-connect');
  const samples = { finframe: [], bare: [] };
  for (let i = 0; i < warmup + runs; i++) {
    // Alternate which goes first so drift affects both alike.
    const order = i % 2 ? ['bare', 'finframe'] : ['finframe', 'bare'];
    for (const which of order) {
      const ms = await (which === 'finframe' ? finframe() : bare());
      if (i >= warmup) samples[which].push(ms);
      await settle();
    }
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// 2 + 3 in the browser

/** What was checked for one finframe row, in a few words. */
function verifiedText(f) {
  if (f.valid) return `${fmtInt(f.events)} events = sent`;
  if (f.errors) return `${fmtInt(f.errors)} errors = sent`;
  return `no event of ${fmtInt(f.sent)}`;
}

function printGateMode(gate, mode) {
  const rows = [];
  const base = new Map(gate.baseline[mode.name].map((b) => [b.name, b]));
  const floor = new Map(gate.floor[mode.name].map((b) => [b.name, b]));
  const us = (r) => 1e6 / r.perSecond;
  const results = [];
  for (const f of gate.finframe[mode.name]) {
    const b = base.get(f.name);
    const z = floor.get(f.name);
    const ratio = b.perSecond / f.perSecond;
    const netF = Math.max(0, us(f) - us(z));
    const netB = Math.max(0, us(b) - us(z));
    results.push({ ...f, ratio, baseline: b, floor: z, netF, netB });
    rows.push([
      f.name,
      fmtInt(f.perSecond),
      fmtInt(b.perSecond),
      `${ratio.toFixed(2)}×`,
      verdict(ratio <= TARGET.overhead),
      fmtInt(z.perSecond),
      `${netF.toFixed(2)} / ${netB.toFixed(2)}`,
      f.verified && b.verified ? `ok: ${verifiedText(f)}` : `FAILED: ff ev ${f.events} err ${f.errors} of ${f.sent}; bl ev ${b.events} of ${b.sent}`,
    ]);
  }
  table(
    ['case', 'finframe msg/s', 'baseline msg/s', 'overhead', `≤ ${TARGET.overhead}×`, 'no-op msg/s', 'net µs ff / bl', 'checked (best round; all rounds)'],
    rows,
    ['l', 'r', 'r', 'r', 'l', 'r', 'r', 'l'],
  );
  return results;
}

function printGate(gate) {
  section('2. Message gate throughput (headless Chromium, synthesized MessageEvents)');
  console.log('  finframe = <flinks-connect src> from the CDN bundle, ready after the frame\'s APP_MOUNTED.');
  console.log('  baseline = bare <iframe> + hand-written listener (source ===, origin ===, JSON.parse for strings,');
  console.log('             typeof step === "string", CustomEvent {bubbles, composed} on a host element).');
  console.log('  overhead = baseline msg/s ÷ finframe msg/s (how many times slower finframe is).');
  console.log('  no-op    = the same messages to a listener that does nothing: what the harness itself costs.');
  console.log('  net µs   = µs per message above the no-op floor, finframe / baseline.');
  console.log('  checked  = provider-event (valid) or provider-error (malformed) count equals messages sent, last');
  console.log('             event detail checked; wrong origin/source must give no event at all. Baseline checked too.');
  console.log(`  element status after the run: ${gate.finalStatus}${gate.outcome ? ' (an outcome was dispatched!)' : ''}`);
  const out = {};
  for (const mode of GATE_MODES) {
    console.log(`\n  [${mode.label}]`);
    console.log(`  best of ${GATE_ROUNDS} rounds of ~${mode.measureMs} ms per case and listener (${mode.warmupMs} ms warm-up first)`);
    const results = printGateMode(gate, mode);
    const valid = results.filter((r) => r.valid);
    const minValid = Math.min(...valid.map((r) => r.perSecond));
    const maxValidOverhead = Math.max(...valid.map((r) => r.ratio));
    const maxOverhead = Math.max(...results.map((r) => r.ratio));
    const verified = results.every((r) => r.verified && r.baseline.verified);
    const netValid = valid.map((r) => `${r.name.replace('valid step ', '')} ${(r.netF / Math.max(r.netB, 1e-9)).toFixed(2)}×`).join(', ');
    console.log('');
    console.log(`  ≥ ${fmtInt(TARGET.validPerSecond)} validated msg/s:      ${verdict(minValid >= TARGET.validPerSecond)}  (slowest valid case ${fmtInt(minValid)}/s; the no-op floor is ${fmtInt(Math.min(...valid.map((r) => r.floor.perSecond)))}/s)`);
    console.log(`  overhead ≤ ${TARGET.overhead}× on valid messages:  ${verdict(maxValidOverhead <= TARGET.overhead)}  (worst ${maxValidOverhead.toFixed(2)}×; net of the floor: ${netValid})`);
    console.log(`  overhead ≤ ${TARGET.overhead}× on every case:      ${verdict(maxOverhead <= TARGET.overhead)}  (worst ${maxOverhead.toFixed(2)}×)`);
    console.log(`  work verified:                   ${verified ? 'yes' : 'NO — see table'}`);
    out[mode.name] = { minValid, maxValidOverhead, maxOverhead, verified };
  }
  return out;
}

function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
  return { n: s.length, median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function printFirstFrame(samples, timer) {
  section('3. Time to first frame (appendChild → shadow root has <iframe src>)');
  console.log(`  ${FIRST_FRAME.runs} runs each after ${FIRST_FRAME.warmup} warm-up, alternating; end = MutationObserver callback.`);
  console.log('  finframe: timed from document.body.appendChild(<flinks-connect src>) (element created before).');
  console.log('  baseline: timed from before document.createElement("iframe"), set src, appendChild.');
  console.log('  Both include Chromium creating the cross-site child frame inside appendChild; the difference is');
  console.log("  finframe's own work (connectedCallback, microtask render: URL check, lit-html template, keyed).");
  console.log(
    `  timer: performance.now() step ≈ ${(timer.resolutionMs * 1000).toFixed(1)} µs (crossOriginIsolated = ${timer.isolated})`,
  );
  console.log('');
  const f = stats(samples.finframe);
  const b = stats(samples.bare);
  table(
    ['', 'median', 'p95', 'mean', 'min', 'max'],
    [
      ['<flinks-connect>', fmtMs(f.median), fmtMs(f.p95), fmtMs(f.mean), fmtMs(f.min), fmtMs(f.max)],
      ['bare <iframe>', fmtMs(b.median), fmtMs(b.p95), fmtMs(b.mean), fmtMs(b.min), fmtMs(b.max)],
    ],
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
  console.log('');
  console.log(`  difference: median +${fmtMs(f.median - b.median)}, p95 +${fmtMs(f.p95 - b.p95)}`);
  console.log(`  ratio:      median ${(f.median / b.median).toFixed(2)}×, p95 ${(f.p95 / b.p95).toFixed(2)}×`);
  return { f, b };
}

async function browserBench(cdnCode) {
  let server;
  let browser;
  let profile;
  const pageErrors = [];
  try {
    server = await startServer(cdnCode);
    const { port } = server.address();
    const pageUrl = `http://localhost:${port}/bench.html`;
    const frameOrigin = `http://127.0.0.1:${port}`;
    const frameUrl = `${frameOrigin}/bench-frame.html`;

    profile = await mkdtemp(join(tmpdir(), 'finframe-bench-'));
    browser = await puppeteerCore.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      protocolTimeout: 60_000,
    });
    const page = await browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // The one warning the loopback opt-in above causes is expected.
      if (msg.type() === 'warn' && msg.text().includes('because the page opted in (allowLoopback())')) return;
      if (msg.type() === 'error' || msg.type() === 'warn') pageErrors.push(`console.${msg.type()}: ${msg.text()}`);
    });
    await page.goto(pageUrl, { waitUntil: 'load', timeout: 20_000 });
    await page.waitForFunction(() => !!customElements.get('flinks-connect'), { timeout: 10_000 });

    const timer = await page.evaluate(pageTimerInfo);
    const version = await browser.version();
    const gate = await page.evaluate(pageGateBench, { frameUrl, frameOrigin, modes: GATE_MODES, rounds: GATE_ROUNDS });
    const firstFrame = await page.evaluate(pageFirstFrame, { frameUrl, ...FIRST_FRAME });
    return { version, pageUrl, frameUrl, timer, gate, firstFrame, pageErrors };
  } finally {
    if (browser) await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    if (server) {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    }
    if (profile) await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = performance.now();
  console.log('finframe benchmark');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);

  const sizes = await measureSizes();
  printSizes(sizes);
  const cdnBuild = await buildCdn();
  const cdn = cdnSizes(cdnBuild);
  printCdnSizes(cdn, { section, table, verdict });
  if (suppressedWarnings.size) {
    console.log(`  (${suppressedWarnings.size} rollup INVALID_ANNOTATION warnings from node_modules not shown: comments beside @__PURE__ in zod)`);
  }

  section('2a. Schema validation in Node (finframe\'s parsers vs hand-written shape checks)');
  const validation = await measureValidation();
  table(
    ['case', 'finframe msg/s', 'hand-written msg/s', 'ratio', 'accepted (ff / hw)'],
    validation.map((v) => [v.name, fmtInt(v.finframe.perSecond), fmtInt(v.baseline.perSecond), `${(v.baseline.perSecond / v.finframe.perSecond).toFixed(2)}×`, `${v.finframe.accepted} / ${v.baseline.accepted}`]),
    ['l', 'r', 'r', 'r', 'l'],
  );
  console.log('  finframe copies the data prototype-safely, validates with zod/mini and freezes it; the hand-written');
  console.log('  check does none of that (it also "accepts" the REDIRECT without finding a loginId).');
  console.log('  Steps are nearly all of a session\'s traffic; REDIRECT arrives once per session (it parses a URL and');
  console.log('  validates twice), so the target is read on the step messages.');
  const minValidated = Math.min(...validation.filter((v) => v.name.startsWith('valid step')).map((v) => v.finframe.perSecond));
  const flexitiValidated = Math.min(...validation.filter((v) => v.name.startsWith('flexiti: valid')).map((v) => v.finframe.perSecond));

  const b = await browserBench(sizes.cdnCode);
  console.log(`\n  browser: ${b.version}; page ${b.pageUrl}; frame ${b.frameUrl}`);
  const gate = printGate(b.gate);
  const ff = printFirstFrame(b.firstFrame, b.timer);
  const cdnTiming = await measureCdnTiming(cdnBuild);
  printCdnTiming(cdnTiming, { section, table, verdict });

  if (b.pageErrors.length) {
    section('Page console');
    const counts = new Map();
    for (const e of b.pageErrors) counts.set(e, (counts.get(e) ?? 0) + 1);
    for (const [e, n] of counts) console.log(`  ${n}× ${e.length > 200 ? `${e.slice(0, 197)}…` : e}`);
  }

  section('4. Server callbacks (finframe/server on loopback, Node http)');
  const callbacks = printCallbacks(await measureCallbacks(), table);

  section('5. FlexPay: verified callbacks and the status stream fan-out');
  const flexpay = printFlexPay(await measureFlexPay(), table);
  console.log('');
  const fanout = printFanout(await measureFanout(), table);
  const widest = fanout.at(-1);

  section('6. Stores: SQLite and PostgreSQL, one and three receiver processes');
  const { measureStores, printStores } = await import('./stores.mjs');
  const stores = printStores(await measureStores(), table);

  section('Summary');
  const lines = [
    ['CDN bundle (a), min+gzip', `${fmtInt(sizes.cdn.gz)} B`],
    ['flinks-connect define (b), min+gzip', `${fmtInt(sizes.element.gz)} B  target ≤ ${fmtInt(TARGET.elementGzip)}: ${verdict(sizes.element.gz <= TARGET.elementGzip)}`],
    ['flexiti-widget define (c), min+gzip', `${fmtInt(sizes.flexiti.gz)} B  target ≤ ${fmtInt(TARGET.elementGzip)}: ${verdict(sizes.flexiti.gz <= TARGET.elementGzip)}`],
    ['benji-connect define (d), min+gzip', `${fmtInt(sizes.benji.gz)} B  target ≤ ${fmtInt(TARGET.elementGzip)}: ${verdict(sizes.benji.gz <= TARGET.elementGzip)}`],
    ['finapi-web-form define (e), min+gzip', `${fmtInt(sizes.finapi.gz)} B  target ≤ ${fmtInt(TARGET.elementGzip)}: ${verdict(sizes.finapi.gz <= TARGET.elementGzip)}`],
    ['flexpay-status define (f), min+gzip', `${fmtInt(sizes.flexpay.gz)} B  target ≤ ${fmtInt(TARGET.elementGzip)}: ${verdict(sizes.flexpay.gz <= TARGET.elementGzip)}`],
    ['CDN loader.js, raw / min+gzip', `${fmtInt(cdn.size['loader.js'].raw)} / ${fmtInt(cdn.size['loader.js'].gz)} B  targets ≤ ${fmtInt(CDN_TARGET.loaderRaw)} / ${fmtInt(CDN_TARGET.loaderGzip)}: ${verdict(cdn.size['loader.js'].raw <= CDN_TARGET.loaderRaw && cdn.size['loader.js'].gz <= CDN_TARGET.loaderGzip)}`],
    ['page with one <flinks-connect> via the loader', `${fmtInt(cdn.pages['flinks-connect'])} B  target ≤ ${fmtInt(CDN_TARGET.pageGzip)}: ${verdict(cdn.pages['flinks-connect'] <= CDN_TARGET.pageGzip)}`],
    ...cdnTiming.results.map((r) => [
      `tag → frame src, loader / bundle, ${r.scenario === 'present' ? 'in HTML' : 'added'}, +${r.delay} ms`,
      `${r.loader.toFixed(1)} / ${r.bundle.toFixed(1)} ms = ${(r.loader / r.bundle).toFixed(2)}×  target ≤ ${CDN_TARGET.ratio}×: ${verdict(r.loader / r.bundle <= CDN_TARGET.ratio)}`,
    ]),
    ['  floor lit-html + zod/mini (one bundle)', `${fmtInt(sizes.both.gz)} B  → finframe's own ≈ ${fmtInt(sizes.element.gz - sizes.both.gz)} B`],
    ['flexiti validation (Node), slower valid form', `${fmtInt(flexitiValidated)} msg/s  target ≥ ${fmtInt(TARGET.validPerSecond)}: ${verdict(flexitiValidated >= TARGET.validPerSecond)}`],
    ['schema validation (Node), slower step form', `${fmtInt(minValidated)} msg/s  target ≥ ${fmtInt(TARGET.validPerSecond)}: ${verdict(minValidated >= TARGET.validPerSecond)}`],
    ...GATE_MODES.flatMap((m) => {
      const g = gate[m.name];
      const tag = m.fresh ? 'A new event' : 'B reused event';
      return [
        [`gate ${tag}: slowest valid case`, `${fmtInt(g.minValid)} msg/s  target ≥ ${fmtInt(TARGET.validPerSecond)}: ${verdict(g.minValid >= TARGET.validPerSecond)}`],
        [`gate ${tag}: overhead valid / any`, `${g.maxValidOverhead.toFixed(2)}× / ${g.maxOverhead.toFixed(2)}×  target ≤ ${TARGET.overhead}×: ${verdict(g.maxValidOverhead <= TARGET.overhead)} / ${verdict(g.maxOverhead <= TARGET.overhead)}`],
      ];
    }),
    ['gate work verified (all modes)', GATE_MODES.every((m) => gate[m.name].verified) ? 'yes' : 'NO'],
    ['first frame median / p95', `${fmtMs(ff.f.median)} / ${fmtMs(ff.f.p95)}  (bare iframe ${fmtMs(ff.b.median)} / ${fmtMs(ff.b.p95)}; ${(ff.f.median / ff.b.median).toFixed(2)}× median)`],
    ['server callbacks/s, SQLite FULL / bare', `${fmtInt(callbacks['sqlite-full'].perSecond)} / ${fmtInt(callbacks.bare.perSecond)}  (p50 ${callbacks['sqlite-full'].p50.toFixed(1)} ms, p99 ${callbacks['sqlite-full'].p99.toFixed(1)} ms; memoryStore ${fmtInt(callbacks.memory.perSecond)}/s)`],
    ['FlexPay callbacks/s, RS256 + SQLite FULL / bare', `${fmtInt(flexpay['flexpay-sqlite-full'].perSecond)} / ${fmtInt(flexpay['flexpay-bare'].perSecond)}  (p50 ${flexpay['flexpay-sqlite-full'].p50.toFixed(1)} ms, p99 ${flexpay['flexpay-sqlite-full'].p99.toFixed(1)} ms)`],
    ...Object.values(stores).map((r) => [`${r.provider === 'finapi' ? 'finAPI' : 'FlexPay'} on ${r.store}, ${r.processes} process${r.processes > 1 ? 'es' : ''}`, `${fmtInt(r.perSecond)} callbacks/s (p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms)`]),
    ...(widest
      ? [[`status fan-out, ${fmtInt(widest.watchers)} watchers`, `${(widest.rssPerWatcher / 1024).toFixed(1)} KiB RSS each; one change reaches all in p50 ${widest.p50.toFixed(0)} / p99 ${widest.p99.toFixed(0)} / max ${widest.max.toFixed(0)} ms (${fmtInt(widest.received)} received)`]]
      : []),
    ['run time', `${((performance.now() - started) / 1000).toFixed(1)} s`],
  ];
  const w = Math.max(...lines.map((l) => l[0].length));
  for (const [k, v] of lines) console.log(`  ${pad(k, w)}  ${v}`);
}

main().catch((err) => {
  console.error('\nbench crashed:', err?.stack ?? err);
  process.exitCode = 1;
});
