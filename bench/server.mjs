// Server callbacks: finAPI callbacks per second through finframe/server on loopback, against a
// bare Node HTTP handler that reads and JSON.parses the same bodies and answers 200, in the same
// run. Each server runs alone in a child process; the clients (N concurrent keep-alive
// connections, distinct callbacks) run in this process.
//
//   bare            http.createServer: read body, JSON.parse, 200 {"ok":true}
//   finframe memory createFinapiCallbackHandler + memoryStore, via toNodeHandler
//   finframe FULL   … + sqliteStore (synchronous FULL: an fsync per commit; the default)
//   finframe NORMAL … + sqliteStore (synchronous NORMAL: crash-safe, not power-loss-safe)
//
// The server modules are built from src/ into bench/.tmp-server-<pid>/ first, so the figures are
// for the current source, whatever dist/ holds. `node bench/server.mjs` runs this section alone.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SECRET = 'bench-secret-0123456789abcdef';

/** Round robin over the variants, best round reported: noise on a shared machine hits each alike. */
export const CALLBACK_BENCH = { rounds: 2, warmupMs: 400, measureMs: 1500, concurrency: 32 };

const VARIANTS = [
  { name: 'bare', label: 'bare http + JSON.parse' },
  { name: 'sqlite-full', label: 'finframe, sqliteStore FULL' },
  { name: 'sqlite-normal', label: 'finframe, sqliteStore NORMAL' },
  { name: 'memory', label: 'finframe, memoryStore' },
];

// ---------------------------------------------------------------------------------------------
// Child: one server.

async function child(variant, modules, dbPath) {
  let listener;
  if (variant === 'bare') {
    listener = (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      });
    };
  } else {
    const { createFinapiCallbackHandler, memoryStore } = await import(pathToFileURL(join(modules, 'server/index.js')).href);
    const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
    let store;
    if (variant === 'memory') store = memoryStore();
    else {
      const { sqliteStore } = await import(pathToFileURL(join(modules, 'server/sqlite.js')).href);
      store = sqliteStore({ path: dbPath, synchronous: variant === 'sqlite-full' ? 'FULL' : 'NORMAL' });
    }
    listener = toNodeHandler(createFinapiCallbackHandler({ secret: SECRET, store }));
  }
  const server = createServer(listener);
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// Parent.

/** Builds src/server/* (what dist/server holds) into a temp dir inside bench/, for the children. */
async function buildServerModules() {
  const { rollup } = await import('rollup');
  const { default: esbuild } = await import('rollup-plugin-esbuild');
  const { serverEntries } = await import('../rollup.config.mjs');
  const dir = join(HERE, `.tmp-server-${process.pid}`);
  const build = await rollup({
    input: Object.fromEntries(Object.entries(serverEntries).map(([name, file]) => [name, join(ROOT, file)])),
    external: (id) => id.startsWith('node:') || /^(zod|jose|better-sqlite3)(\/|$)/.test(id),
    plugins: [esbuild({ target: 'es2022', tsconfig: join(ROOT, 'tsconfig.json') })],
  });
  try {
    await build.write({ dir, format: 'es', preserveModules: true, preserveModulesRoot: join(ROOT, 'src') });
  } finally {
    await build.close();
  }
  return dir;
}

function startChild(variant, modules, dbPath) {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', variant, modules, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => proc.on('exit', done));
  const port = new Promise((done, fail) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) done(JSON.parse(out.split('\n')[0]).port);
    });
    proc.on('exit', () => fail(new Error(`${variant} server exited before listening`)));
  });
  return { proc, port, exited };
}

/** Distinct callbacks: alternately a web form and a task with its web form (≈ 60 and 230 bytes). */
function body(prefix, n) {
  if (n % 2 === 0) return JSON.stringify({ webFormId: `${prefix}-${n}`, status: 'COMPLETED' });
  const id = `${prefix}-wf-${n}`;
  return JSON.stringify({ taskId: `${prefix}-${n}`, status: 'COMPLETED', webForm: { id, url: `https://webform.finapi.io/wf/${id}`, status: 'COMPLETED' } });
}

function send(agent, port, payload) {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: `/callbacks/finapi?secret=${SECRET}`, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/** N clients in a loop for `ms`; latencies only for requests started after the warm-up. */
async function drive(port, prefix, { warmupMs, measureMs, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let n = 0;
  let ok = 0;
  let bad = 0;
  const t0 = performance.now();
  const measureFrom = t0 + warmupMs;
  const end = measureFrom + measureMs;
  const client = async () => {
    for (;;) {
      const start = performance.now();
      if (start >= end) return;
      const status = await send(agent, port, body(prefix, n++));
      const stop = performance.now();
      if (start >= measureFrom) {
        latencies.push(stop - start);
        if (status === 200) ok++;
        else bad++;
      } else if (status !== 200) bad++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = performance.now() - measureFrom;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? NaN;
  return { perSecond: (latencies.length / elapsed) * 1000, p50: q(0.5), p99: q(0.99), measured: latencies.length, sent: n, ok, bad };
}

/**
 * Runs the section: returns `{ results: [{name, label, perSecond, p50, p99, measured, sent, ok, bad, stored?}], config }`
 * and prints nothing (see {@link printCallbacks}). Each SQLite round checks afterwards that the file
 * holds exactly as many records as callbacks were sent (all distinct).
 */
export async function measureCallbacks(config = CALLBACK_BENCH) {
  const modules = await buildServerModules();
  const dbDir = mkdtempSync(join(tmpdir(), 'finframe-bench-callbacks-'));
  const best = new Map();
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const variant of VARIANTS) {
        const dbPath = join(dbDir, `${variant.name}-${round}.db`);
        const server = startChild(variant.name, modules, dbPath);
        let result;
        try {
          const port = await server.port;
          result = { ...variant, ...(await drive(port, `r${round}-${variant.name}`, config)) };
        } finally {
          server.proc.kill('SIGTERM');
          await server.exited;
        }
        if (variant.name.startsWith('sqlite')) {
          const db = new Database(dbPath, { readonly: true });
          result.stored = db.prepare('SELECT count(*) AS n FROM finframe_records').get().n;
          db.close();
        }
        const previous = best.get(variant.name);
        if (!previous || result.perSecond > previous.perSecond) best.set(variant.name, result);
      }
    }
  } finally {
    rmSync(modules, { recursive: true, force: true });
    rmSync(dbDir, { recursive: true, force: true });
  }
  return { results: VARIANTS.map((v) => best.get(v.name)), config };
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

/** Prints the section's table and ratios with `table(headers, rows, align)` from bench/run.mjs (or a plain fallback). */
export function printCallbacks({ results, config }, table, log = console.log) {
  log(`  ${config.concurrency} concurrent keep-alive clients in the parent, each server alone in a child process;`);
  log(`  best of ${config.rounds} rounds of ${config.measureMs} ms per server (${config.warmupMs} ms warm-up first); distinct callbacks,`);
  log('  alternately {webFormId, status} and {taskId, status, webForm}. p50/p99: request start → response end.');
  log('');
  table(
    ['server', 'callbacks/s', 'p50 ms', 'p99 ms', 'vs bare', 'checked'],
    results.map((r) => [
      r.label,
      fmtInt(r.perSecond),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.name === 'bare' ? '1.00×' : `${(results[0].perSecond / r.perSecond).toFixed(2)}× slower`,
      r.bad
        ? `${r.bad} non-200!`
        : r.stored === undefined
          ? `${fmtInt(r.ok)} × 200`
          : r.stored === r.sent
            ? `${fmtInt(r.ok)} × 200; ${fmtInt(r.stored)} rows = sent`
            : `rows ${r.stored} ≠ sent ${r.sent}!`,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l'],
  );
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  log('');
  log(`  SQLite FULL vs NORMAL: ${(by['sqlite-normal'].perSecond / by['sqlite-full'].perSecond).toFixed(2)}× — the cost of an fsync per acknowledged callback.`);
  log(`  memoryStore vs bare:   ${(by.bare.perSecond / by.memory.perSecond).toFixed(2)}× — the receiver itself (Request/Response, secret hash, zod, store).`);
  return by;
}

function plainTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log(`  ${line(headers)}`);
  for (const r of rows) console.log(`  ${line(r)}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.chdir(ROOT);
  const started = performance.now();
  printCallbacks(await measureCallbacks(), plainTable);
  console.log(`\n  run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
