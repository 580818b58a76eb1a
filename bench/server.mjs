// Server callbacks: finAPI callbacks per second through finframe/server on loopback, against a
// bare Node HTTP handler that reads and JSON.parses the same bodies and answers 200, in the same
// run. Each server runs alone in a child process; the load comes from autocannon (N concurrent
// keep-alive connections, distinct callbacks) in this process.
//
//   bare            http.createServer: read body, JSON.parse, 200 {"ok":true}
//   bare Fetch      the same as a Fetch handler (request.text(), JSON.parse, new Response) via toNodeHandler
//   adapter         toNodeHandler's receiver path alone: body read with the limit, JSON parsed, JSON answer
//   finframe memory createFinapiCallbackHandler + memoryStore, via toNodeHandler
//   finframe FULL   … + sqliteStore (synchronous FULL: an fsync per commit; the default)
//   finframe NORMAL … + sqliteStore (synchronous NORMAL: crash-safe, not power-loss-safe)
//
// FlexPay (measureFlexPay): verified FlexPay callbacks per second — RS256 receipt checked with jose,
// then the SQLite store — against the same bare handler, on receipts signed before timing.
// Fan-out (measureFanout): one server process holding N status-stream watchers of one reference
// (opened by keep-alive http clients in another child process): RSS per watcher, and the time
// one status change takes to reach all of them.
//
// The server modules are built from src/ into bench/.tmp-server-<pid>/ first, so the figures are
// for the current source, whatever dist/ holds. `node bench/server.mjs` runs these sections alone
// (`--only callbacks|flexpay|fanout|stores` for one; `stores` is bench/stores.mjs: SQLite and
// PostgreSQL with one and three receiver processes).

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { buildServerModules } from './build-server.mjs';
import Database from 'better-sqlite3';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SECRET = 'bench-secret-0123456789abcdef';

/** Round robin over the variants, best round reported: noise on a shared machine hits each alike. */
export const CALLBACK_BENCH = { rounds: 3, warmupMs: 500, measureMs: 2000, concurrency: 32 };

/** The receiver on memoryStore should answer at least this share of the bare handler's rate. */
export const CALLBACK_TARGET = 0.5;

const VARIANTS = [
  { name: 'bare', label: 'bare node http + JSON.parse' },
  { name: 'fetch', label: 'bare Fetch handler via toNodeHandler' },
  { name: 'adapter', label: 'toNodeHandler + readJsonBody + respondJson' },
  { name: 'memory', label: 'finAPI receiver, memoryStore, toNodeHandler' },
  { name: 'sqlite-full', label: 'finAPI receiver, sqliteStore FULL' },
  { name: 'sqlite-normal', label: 'finAPI receiver, sqliteStore NORMAL' },
];

// ---------------------------------------------------------------------------------------------
// Child: one server.

async function child(variant, modules, dbPath) {
  if (variant === 'fanout-server') return fanoutServer(modules, dbPath);
  if (variant === 'fanout-clients') return fanoutClients();
  let listener;
  if (variant.startsWith('flexpay-') && variant !== 'flexpay-bare') {
    const { createFlexPayCallbackHandler, memoryStore } = await import(pathToFileURL(join(modules, 'server/index.js')).href);
    const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
    let store;
    if (variant === 'flexpay-memory') store = memoryStore();
    else {
      const { sqliteStore } = await import(pathToFileURL(join(modules, 'server/sqlite.js')).href);
      store = sqliteStore({ path: dbPath, synchronous: variant === 'flexpay-sqlite-full' ? 'FULL' : 'NORMAL' });
    }
    listener = toNodeHandler(createFlexPayCallbackHandler({ keys: readFileSync(process.env.BENCH_FLEXPAY_PEM, 'utf8'), store }));
  } else if (variant === 'fetch') {
    const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
    listener = toNodeHandler(async (request) => {
      try {
        JSON.parse(await request.text());
      } catch {
        return new Response(null, { status: 400 });
      }
      return new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json' } });
    });
  } else if (variant === 'adapter') {
    // What toNodeHandler costs a finframe receiver by itself: the lazy request, the body read
    // with its limit and parsed, the JSON answer written from its text — no secret, no schema, no store.
    const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
    const http = await import(pathToFileURL(join(modules, 'server/http.js')).href);
    const handler = async (request) => {
      try {
        http.requireMethod(request, ['POST']);
        await http.readJsonBody(request);
      } catch (error) {
        return error.toResponse(request);
      }
      return http.respondJson(request, 200, { ok: true });
    };
    Object.defineProperty(handler, http.OWNS_REQUEST, { value: true });
    listener = toNodeHandler(handler);
  } else if (variant === 'bare' || variant === 'flexpay-bare') {
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
  // Requests answered and CPU time used, asked for over IPC around the measured run: CPU µs per
  // request says what a callback costs even when other work on the machine skews the rates.
  let answered = 0;
  const counted = listener;
  const server = createServer((req, res) => {
    answered++;
    counted(req, res);
  });
  process.on('message', (message) => {
    if (message?.cmd === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ cpuUs: user + system, answered });
    }
  });
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

// ---------------------------------------------------------------------------------------------
// Parent.

function startChild(variant, modules, dbPath, { env, execArgv = [], ipc = false } = {}) {
  const proc = spawn(process.execPath, [...execArgv, fileURLToPath(import.meta.url), '--child', variant, modules, dbPath], {
    stdio: ['ignore', 'pipe', 'inherit', ...(ipc ? ['ipc'] : [])],
    env: env ? { ...process.env, ...env } : process.env,
  });
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

function send(agent, port, payload, path = `/callbacks/finapi?secret=${SECRET}`) {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

/**
 * autocannon with `concurrency` keep-alive connections: `amount` requests, or for `ms`; each
 * request gets `bodyOf(i)`. Returns rate, p50/p99 (ms, autocannon's histogram) and status counts.
 */
async function cannon(port, path, bodyOf, { concurrency, ms, amount }) {
  let i = 0;
  // The rate is measured to the last response: autocannon notices that a run of a fixed `amount`
  // is over only at its next one-second tick, so its own duration quantized those runs (3,500
  // FlexPay callbacks answered in 0.4 s read as 3,500/s).
  const started = performance.now();
  let last = started;
  const result = await new Promise((resolve, reject) => {
    const tracker = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: concurrency,
        ...(amount ? { amount } : { duration: ms / 1000 }),
        requests: [{ method: 'POST', path, headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: bodyOf(i++) }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    tracker.on('response', () => {
      last = performance.now();
    });
  });
  const measured = result.requests.total;
  const seconds = Math.max(last - started, 1) / 1000;
  const ok = result['2xx'] ?? 0;
  return { perSecond: measured / seconds, p50: result.latency.p50, p99: result.latency.p99, measured, sent: i, ok, bad: measured - ok + result.errors + result.timeouts };
}

/** The server child's CPU time (µs) and requests answered so far. */
const cpuOf = (proc) =>
  new Promise((resolve) => {
    proc.once('message', resolve);
    proc.send({ cmd: 'cpu' });
  });

/** Runs `measure` and adds the server's CPU µs per request answered meanwhile. */
async function withCpu(proc, measure) {
  const before = await cpuOf(proc);
  const result = await measure();
  const after = await cpuOf(proc);
  return { ...result, cpuPerRequest: (after.cpuUs - before.cpuUs) / Math.max(1, after.answered - before.answered) };
}

/** A warm-up burst, then the measured run (distinct callbacks throughout). `okAll` counts both. */
async function drive(proc, port, prefix, { warmupMs, measureMs, concurrency }) {
  let n = 0;
  const next = () => body(prefix, n++);
  const warm = await cannon(port, `/callbacks/finapi?secret=${SECRET}`, next, { concurrency, ms: warmupMs });
  const result = await withCpu(proc, () => cannon(port, `/callbacks/finapi?secret=${SECRET}`, next, { concurrency, ms: measureMs }));
  return { ...result, sent: n, okAll: warm.ok + result.ok };
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
        const server = startChild(variant.name, modules, dbPath, { ipc: true });
        let result;
        try {
          const port = await server.port;
          result = { ...variant, ...(await drive(server.proc, port, `r${round}-${variant.name}`, config)) };
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

/**
 * One row per server: throughput, latency, the ratio to the first row (the bare baseline), and
 * what was checked — `stored(r)` words a row whose rows in the database were counted.
 */
function serverTable(results, table, stored) {
  table(
    ['server', 'callbacks/s', 'p50 ms', 'p99 ms', 'of bare', 'CPU µs/req', 'checked'],
    results.map((r) => [
      r.label,
      fmtInt(r.perSecond),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      `${(r.perSecond / results[0].perSecond).toFixed(2)}×`,
      `${Math.round(r.cpuPerRequest)} (${(results[0].cpuPerRequest / r.cpuPerRequest).toFixed(2)}×)`,
      r.bad ? `${r.bad} non-200!` : r.stored === undefined ? `${fmtInt(r.ok)} × 200` : stored(r),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'l', 'l'],
  );
}

/** Prints the section's table and ratios with `table(headers, rows, align)` from bench/run.mjs (or a plain fallback). */
export function printCallbacks({ results, config }, table, log = console.log) {
  log(`  autocannon, ${config.concurrency} keep-alive connections, in the parent; each server alone in a child process;`);
  log(`  best of ${config.rounds} rounds of ${config.measureMs} ms per server (${config.warmupMs} ms warm-up first); distinct callbacks,`);
  log('  alternately {webFormId, status} and {taskId, status, webForm}. p50/p99: request start → response end.');
  log('');
  // autocannon prepares a request or so per connection that it never sends when time is up:
  // every acknowledged callback must be stored, and no more than were prepared.
  serverTable(results, table, (r) =>
    r.stored >= r.okAll && r.stored <= r.sent ? `${fmtInt(r.ok)} × 200; every 200 stored (${fmtInt(r.stored)} rows)` : `rows ${r.stored}: 200s ${r.okAll}, prepared ${r.sent}!`,
  );
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  log('');
  const share = by.memory.perSecond / by.bare.perSecond;
  const cpuShare = by.bare.cpuPerRequest / by.memory.cpuPerRequest;
  log(`  SQLite FULL vs NORMAL: ${(by['sqlite-normal'].perSecond / by['sqlite-full'].perSecond).toFixed(2)}× — the cost of an fsync per acknowledged callback.`);
  log(`  bare Fetch handler via toNodeHandler: ${(by.fetch.perSecond / by.bare.perSecond).toFixed(2)}× of bare — a handler of unknown code gets a real Request (body stream, signal) and its Response is read back.`);
  log(`  toNodeHandler's receiver path alone: ${(by.adapter.perSecond / by.bare.perSecond).toFixed(2)}× of bare — the lazy Request, the body read directly, the answer written from its text.`);
  log(`  finAPI receiver on memoryStore: ${share.toFixed(2)}× of bare's rate — target ≥ ${CALLBACK_TARGET}×: ${share >= CALLBACK_TARGET ? 'MET' : 'NOT MET'};`);
  log(`    by server CPU per request ${cpuShare.toFixed(2)}× (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; under load the rates mostly measure the machine).`);
  return by;
}

function plainTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log(`  ${line(headers)}`);
  for (const r of rows) console.log(`  ${line(r)}`);
}

// ---------------------------------------------------------------------------------------------
// FlexPay: verified callbacks per second.

/** Distinct references, each callback signed before timing; the same bodies for every server. */
export const FLEXPAY_BENCH = { rounds: 2, callbacks: 4000, warmup: 500, concurrency: 32 };

const FLEXPAY_VARIANTS = [
  { name: 'flexpay-bare', label: 'bare node http + JSON.parse' },
  { name: 'flexpay-sqlite-full', label: 'FlexPay: RS256 + sqliteStore FULL' },
  { name: 'flexpay-memory', label: 'FlexPay: RS256 + memoryStore, toNodeHandler' },
];
const FLEXPAY_NS = 'https://flexpayapi.blackhorseflexpay.co.uk/application';

/** An RS256 key pair (public PEM written to `dir`) and `n` callback bodies with receipts signed by it. */
async function signFlexPayCallbacks(n, dir, prefix = 'bench') {
  const { SignJWT, exportSPKI, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const pemFile = join(dir, 'flexpay-public.pem');
  writeFileSync(pemFile, await exportSPKI(publicKey));
  const now = Math.floor(Date.now() / 1000);
  // The claim proves the body's status (`success` ↔ SUCCESSFUL, last_updated equal): the receiver
  // takes its default path, proof by the receipt, with no confirm hook.
  const sign = (id, reference, lastUpdated) =>
    new SignJWT({
      scope: 'application:create',
      [FLEXPAY_NS]: { status: 'success', product: 'revolving_credit', application_id: id, transaction_id: reference, last_updated: lastUpdated },
      aud: 'https://flexpayapi.blackhorseflexpay.co.uk',
      iss: 'https://flexpayapi.blackhorseflexpay.co.uk/',
      sub: 'b0151983-1ddb-4d89-8cc8-17f708da5606',
      jti: `${prefix}-${reference}`,
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench-key' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  const started = performance.now();
  const bodies = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-app-${i}`;
    const reference = `${prefix}-order-${i}`;
    const statusLastUpdated = String(now * 1000 + i);
    bodies.push(JSON.stringify({ id, status: 'SUCCESSFUL', statusLastUpdated, reference, productType: 'blackhorse-flexpay', receipt: await sign(id, reference, statusLastUpdated) }));
  }
  return { pemFile, bodies, sign, signMs: performance.now() - started, now };
}

/** Sends every body once with `concurrency` keep-alive connections; the first `warmup` are not measured. */
async function driveAll(proc, port, bodies, path, { warmup, concurrency }) {
  const warm = await cannon(port, path, (i) => bodies[i], { concurrency, amount: warmup });
  const result = await withCpu(proc, () => cannon(port, path, (i) => bodies[warmup + i], { concurrency, amount: bodies.length - warmup }));
  return { ...result, sent: warm.sent + result.sent, ok: warm.ok + result.ok, bad: warm.bad + result.bad };
}

/**
 * FlexPay callbacks/s: `{results: [{name, label, perSecond, p50, p99, measured, sent, ok, bad, stored?}], config, signMs, bodyBytes}`.
 * Every server gets the same pre-signed bodies (distinct references), a fresh database each round.
 */
export async function measureFlexPay(config = FLEXPAY_BENCH, modules) {
  const own = !modules;
  modules ??= await buildServerModules();
  const dir = mkdtempSync(join(tmpdir(), 'finframe-bench-flexpay-'));
  const best = new Map();
  try {
    const { pemFile, bodies, signMs } = await signFlexPayCallbacks(config.callbacks, dir);
    for (let round = 0; round < config.rounds; round++) {
      for (const variant of FLEXPAY_VARIANTS) {
        const dbPath = join(dir, `${variant.name}-${round}.db`);
        const server = startChild(variant.name, modules, dbPath, { env: { BENCH_FLEXPAY_PEM: pemFile }, ipc: true });
        let result;
        try {
          const port = await server.port;
          result = { ...variant, ...(await driveAll(server.proc, port, bodies, '/callbacks/flexpay', config)) };
        } finally {
          server.proc.kill('SIGTERM');
          await server.exited;
        }
        if (variant.name.includes('sqlite')) {
          const db = new Database(dbPath, { readonly: true });
          result.stored = db.prepare('SELECT count(*) AS n FROM finframe_records').get().n;
          result.withReceipt = db.prepare("SELECT count(*) AS n FROM finframe_records WHERE data LIKE '%eyJ%'").get().n;
          db.close();
        }
        const previous = best.get(variant.name);
        if (!previous || result.perSecond > previous.perSecond) best.set(variant.name, result);
      }
    }
    const bodyBytes = Math.round(bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) / bodies.length);
    return { results: FLEXPAY_VARIANTS.map((v) => best.get(v.name)), config, signMs, bodyBytes };
  } finally {
    if (own) rmSync(modules, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printFlexPay({ results, config, signMs, bodyBytes }, table, log = console.log) {
  log(`  ${config.callbacks} distinct callbacks (≈ ${bodyBytes} B each, receipt included), signed before timing (${(signMs / 1000).toFixed(1)} s, not counted);`);
  log(`  each server in a child process gets all of them from autocannon (${config.concurrency} keep-alive connections), the first ${config.warmup} as warm-up;`);
  log(`  best of ${config.rounds} rounds, a fresh database per round. p50/p99: request start → response end.`);
  log('');
  serverTable(results, table, (r) =>
    r.stored === r.sent && r.withReceipt === 0
      ? `${fmtInt(r.ok)} × 200; ${fmtInt(r.stored)} rows = sent, no receipt stored`
      : `rows ${r.stored} (sent ${r.sent}), ${r.withReceipt} with a receipt!`,
  );
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

// ---------------------------------------------------------------------------------------------
// Fan-out: N watchers of one reference in one server process.

/** Watcher counts, largest last; each runs in fresh processes. `budgetMs` skips sizes once exceeded. */
export const FANOUT_BENCH = { sizes: [500, 2000, 5000], batch: 250, budgetMs: 40_000 };

/** Child: the FlexPay receiver and the status stream on one SQLite store; answers {cmd:'mem'} over IPC after a GC. */
async function fanoutServer(modules, dbPath) {
  const { createFlexPayCallbackHandler, createStatusStream } = await import(pathToFileURL(join(modules, 'server/index.js')).href);
  const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
  const { sqliteStore } = await import(pathToFileURL(join(modules, 'server/sqlite.js')).href);
  const store = sqliteStore({ path: dbPath });
  const receiver = toNodeHandler(createFlexPayCallbackHandler({ keys: readFileSync(process.env.BENCH_FLEXPAY_PEM, 'utf8'), store }));
  // Capacity, not the defaults: one client address holds every watcher of one reference here, so
  // the per-client, per-reference and total limits are lifted (the process's descriptor limit is not).
  const stream = createStatusStream({
    store,
    authorize: () => true,
    heartbeatMs: 60_000,
    maxConnections: Infinity,
    maxConnectionsPerReference: Infinity,
    maxConnectionsPerClient: Infinity,
  });
  const watch = toNodeHandler(stream);
  const server = createServer((req, res) => (req.method === 'POST' ? receiver(req, res) : watch(req, res)));
  server.keepAliveTimeout = 60_000;
  process.on('message', (message) => {
    if (message.cmd !== 'mem') return;
    globalThis.gc?.();
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send({ rss, heapUsed, connections: stream.connections });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
}

/** Child: opens watchers over keep-alive http and reports when the final status reached each. */
function fanoutClients() {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const watchers = [];
  const open = (port, reference) =>
    new Promise((ready, fail) => {
      const watcher = { ready: false, arrival: undefined, ended: false };
      watchers.push(watcher);
      const req = request({ host: '127.0.0.1', port, path: `/status?reference=${reference}`, agent, headers: { accept: 'text/event-stream' } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          if (watcher.arrival === undefined && chunk.includes('"SUCCESSFUL"')) watcher.arrival = performance.now();
          if (!watcher.ready && chunk.includes('event: status')) {
            watcher.ready = true;
            ready();
          }
        });
        res.on('end', () => (watcher.ended = true));
      });
      req.on('error', fail);
      req.end();
    });
  process.on('message', async (message) => {
    if (message.cmd === 'open') {
      const started = performance.now();
      for (let i = 0; i < message.n; i += message.batch) {
        await Promise.all(Array.from({ length: Math.min(message.batch, message.n - i) }, () => open(message.port, message.reference)));
      }
      process.send({ opened: watchers.length, openMs: performance.now() - started });
    } else if (message.cmd === 'fire') {
      // The change is posted from this process, so sending and every arrival share one clock.
      const t0 = performance.now();
      const status = await new Promise((done, fail) => {
        const req = request({ host: '127.0.0.1', port: message.port, method: 'POST', path: '/callbacks/flexpay', headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode));
        });
        req.on('error', fail);
        req.end(message.body);
      });
      const postMs = performance.now() - t0;
      const deadline = performance.now() + message.timeoutMs;
      while (watchers.some((w) => w.arrival === undefined) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      process.send({ status, postMs, latencies: watchers.map((w) => (w.arrival === undefined ? null : w.arrival - t0)), ended: watchers.filter((w) => w.ended).length });
      agent.destroy();
    }
  });
  process.stdout.write(`${JSON.stringify({ port: 0 })}\n`);
}

const ask = (proc, message) =>
  new Promise((resolve) => {
    proc.once('message', resolve);
    proc.send(message);
  });

/**
 * For each size: a fresh server (`--expose-gc`) and client process; RSS and heap before and after
 * N watchers connect (after a GC), then one SUCCESSFUL callback and each watcher's arrival time.
 * Returns `{results: [{watchers, openMs, rssPerWatcher, heapPerWatcher, postMs, p50, p99, max, received}], config, skipped}`.
 */
export async function measureFanout(config = FANOUT_BENCH, modules) {
  const own = !modules;
  modules ??= await buildServerModules();
  const dir = mkdtempSync(join(tmpdir(), 'finframe-bench-fanout-'));
  const started = performance.now();
  const results = [];
  const skipped = [];
  try {
    const { pemFile, sign, now } = await signFlexPayCallbacks(0, dir, 'fanout');
    const warmBody = JSON.stringify({ id: 'fanout-app-warm', status: 'SUCCESSFUL', statusLastUpdated: String(now * 1000), reference: 'fanout-warm', productType: 'blackhorse-flexpay', receipt: await sign('fanout-app-warm', 'fanout-warm', String(now * 1000)) });
    for (const n of config.sizes) {
      if (performance.now() - started > config.budgetMs) {
        skipped.push(n);
        continue;
      }
      const reference = `fanout-${n}`;
      const body = JSON.stringify({ id: `fanout-app-${n}`, status: 'SUCCESSFUL', statusLastUpdated: String(now * 1000), reference, productType: 'blackhorse-flexpay', receipt: await sign(`fanout-app-${n}`, reference, String(now * 1000)) });
      const server = startChild('fanout-server', modules, join(dir, `fanout-${n}.db`), { env: { BENCH_FLEXPAY_PEM: pemFile }, execArgv: ['--expose-gc'], ipc: true });
      const clients = startChild('fanout-clients', modules, '-', { ipc: true });
      try {
        const port = await server.port;
        await clients.port;
        // Warm the server's code paths (a verified callback: jose loaded, key imported; the JSON
        // status) before the baseline.
        await send(new Agent(), port, warmBody, '/callbacks/flexpay');
        await fetch(`http://127.0.0.1:${port}/status?reference=fanout-warm`).then((r) => r.text());
        const before = await ask(server.proc, { cmd: 'mem' });
        const { opened, openMs } = await ask(clients.proc, { cmd: 'open', port, n, reference, batch: config.batch });
        const after = await ask(server.proc, { cmd: 'mem' });
        const fired = await ask(clients.proc, { cmd: 'fire', port, body, timeoutMs: 10_000 });
        const { status, postMs } = fired;
        const latencies = fired.latencies.filter((l) => l !== null).sort((a, b) => a - b);
        const q = (p) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? NaN;
        results.push({
          watchers: n,
          opened,
          connected: after.connections,
          openMs,
          rssPerWatcher: (after.rss - before.rss) / n,
          heapPerWatcher: (after.heapUsed - before.heapUsed) / n,
          postStatus: status,
          postMs,
          p50: q(0.5),
          p99: q(0.99),
          max: latencies.at(-1) ?? NaN,
          received: latencies.length,
        });
      } finally {
        clients.proc.kill('SIGTERM');
        server.proc.kill('SIGTERM');
        await Promise.all([server.exited, clients.exited]);
      }
    }
  } finally {
    if (own) rmSync(modules, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return { results, config, skipped, totalMs: performance.now() - started };
}

export function printFanout({ results, skipped, totalMs }, table, log = console.log) {
  log('  One server process (FlexPay receiver + createStatusStream, sqliteStore FULL) holds N watchers of one reference,');
  log('  opened by keep-alive http clients in a second process; RSS/heap deltas after a GC, per watcher. Then one');
  log('  SUCCESSFUL callback (verified, committed) is POSTed by the client process; latency = POST sent → the event');
  log('  read by each watcher, on that one clock (the client reads the N sockets one by one: the spread includes its');
  log('  own work). Server and clients share the machine\'s cores.');
  log('');
  table(
    ['watchers', 'open s', 'RSS/watcher', 'heap/watcher', 'POST ms', 'p50 ms', 'p99 ms', 'max ms', 'received'],
    results.map((r) => [
      fmtInt(r.watchers),
      (r.openMs / 1000).toFixed(2),
      `${(r.rssPerWatcher / 1024).toFixed(1)} KiB`,
      `${(r.heapPerWatcher / 1024).toFixed(1)} KiB`,
      r.postMs.toFixed(1),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.max.toFixed(1),
      r.received === r.watchers && r.connected === r.watchers && r.postStatus === 200 ? `${fmtInt(r.received)} / ${fmtInt(r.watchers)}` : `${r.received} / ${r.watchers} (connected ${r.connected}, POST ${r.postStatus})!`,
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  if (skipped.length) log(`  skipped ${skipped.join(', ')} watchers: the time budget was spent.`);
  log(`  section time ${(totalMs / 1000).toFixed(1)} s`);
  return results;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.chdir(ROOT);
  const started = performance.now();
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (!only || only === 'callbacks') printCallbacks(await measureCallbacks(), plainTable);
  if (!only || only === 'flexpay') {
    console.log('\n  FlexPay callbacks');
    printFlexPay(await measureFlexPay(), plainTable);
  }
  if (!only || only === 'fanout') {
    console.log('\n  Status stream fan-out');
    printFanout(await measureFanout(), plainTable);
  }
  if (!only || only === 'stores') {
    console.log('\n  Stores: SQLite and PostgreSQL, one and three receiver processes (bench/stores.mjs)');
    const { measureStores, printStores } = await import('./stores.mjs');
    printStores(await measureStores(), plainTable);
  }
  console.log(`\n  run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
