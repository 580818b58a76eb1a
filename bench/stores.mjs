// Stores: finAPI and FlexPay callbacks per second, and p50/p99 latency, through finframe/server on
// SQLite (synchronous FULL) and on PostgreSQL (a throwaway cluster with PostgreSQL's defaults:
// fsync on, synchronous_commit on), with one and with three receiver processes sharing the
// database. Every receiver has an `onUpdate` (a no-op), so each change also writes and settles its
// outbox delivery: the cost of at-least-once hooks is in the figures.
//
// Separate from bench/server.mjs's sections (its own child processes and build) so each can change
// without the other. `node bench/stores.mjs` runs it alone; `node bench/server.mjs --only stores`
// and `npm run bench` include it. Needs PostgreSQL's binaries (see test/node/server/pg-cluster.mjs);
// without them the PostgreSQL rows are skipped with a note.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildServerModules } from './build-server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SECRET = 'bench-secret-0123456789abcdef';
const FLEXPAY_NS = 'https://flexpayapi.blackhorseflexpay.co.uk/application';

/** Each variant runs once: `warmup` callbacks unmeasured, then `measured`; `concurrency` keep-alive clients over all processes. */
export const STORE_BENCH = { finapi: { warmup: 200, measured: 2000 }, flexpay: { warmup: 100, measured: 1000 }, concurrency: 32 };

const VARIANTS = [];
for (const provider of ['finapi', 'flexpay']) {
  for (const store of ['sqlite', 'postgres']) {
    for (const processes of [1, 3]) VARIANTS.push({ provider, store, processes, name: `${provider}-${store}-${processes}` });
  }
}

// ---------------------------------------------------------------------------------------------
// Child: one receiver process.

async function child(modules, config) {
  const { createFinapiCallbackHandler, createFlexPayCallbackHandler } = await import(pathToFileURL(join(modules, 'server/index.js')).href);
  const { toNodeHandler } = await import(pathToFileURL(join(modules, 'server/node.js')).href);
  let store;
  if (config.store === 'sqlite') {
    const { sqliteStore } = await import(pathToFileURL(join(modules, 'server/sqlite.js')).href);
    store = sqliteStore({ path: config.path });
  } else {
    const { postgresStore } = await import(pathToFileURL(join(modules, 'server/postgres.js')).href);
    store = postgresStore({ connectionString: config.connectionString, schema: config.schema, poolConfig: { max: 16 } });
  }
  const onUpdate = () => {};
  const handler =
    config.provider === 'finapi'
      ? createFinapiCallbackHandler({ secret: SECRET, store, onUpdate })
      : createFlexPayCallbackHandler({ keys: readFileSync(config.pem, 'utf8'), store, onUpdate });
  const server = createServer(toNodeHandler(handler));
  server.keepAliveTimeout = 10_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
  process.on('SIGTERM', async () => {
    server.close();
    server.closeAllConnections();
    await handler.close();
    await store.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Parent.


function startChild(modules, config) {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', modules, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((done) => proc.on('exit', done));
  const port = new Promise((done, fail) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) done(JSON.parse(out.split('\n')[0]).port);
    });
    proc.on('exit', () => fail(new Error('a receiver exited before listening')));
  });
  return { proc, port, exited };
}

function send(agent, port, payload, path) {
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

/** Every body once, round robin over `ports`; the first `warmup` are not measured. */
async function driveAll(ports, bodies, path, { warmup, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let next = 0;
  let ok = 0;
  let bad = 0;
  let measureFrom = Infinity;
  const client = async () => {
    while (next < bodies.length) {
      const i = next++;
      const start = performance.now();
      if (i === warmup) measureFrom = start;
      // A connection reset (a loaded machine) counts as a failed request, not a crash of the bench.
      const status = await send(agent, ports[i % ports.length], bodies[i], path).catch(() => 0);
      if (i >= warmup) latencies.push(performance.now() - start);
      if (status === 200) ok++;
      else bad++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = performance.now() - measureFrom;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? NaN;
  return { perSecond: (latencies.length / elapsed) * 1000, p50: q(0.5), p99: q(0.99), measured: latencies.length, sent: bodies.length, ok, bad };
}

function finapiBodies(prefix, n) {
  return Array.from({ length: n }, (_, i) =>
    i % 2 === 0
      ? JSON.stringify({ webFormId: `${prefix}-${i}`, status: 'COMPLETED' })
      : JSON.stringify({ taskId: `${prefix}-${i}`, status: 'COMPLETED', webForm: { id: `${prefix}-wf-${i}`, url: `https://webform.finapi.io/wf/${prefix}-wf-${i}`, status: 'COMPLETED' } }),
  );
}

async function flexpayBodies(dir, prefix, n) {
  const { SignJWT, exportSPKI, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const pem = join(dir, `${prefix}.pem`);
  writeFileSync(pem, await exportSPKI(publicKey));
  const now = Math.floor(Date.now() / 1000);
  const bodies = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-app-${i}`;
    const reference = `${prefix}-order-${i}`;
    const lastUpdated = String(now * 1000 + i);
    const receipt = await new SignJWT({ [FLEXPAY_NS]: { status: 'success', application_id: id, transaction_id: reference, last_updated: lastUpdated } })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'bench-key' })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    bodies.push(JSON.stringify({ id, status: 'SUCCESSFUL', statusLastUpdated: lastUpdated, reference, productType: 'blackhorse-flexpay', receipt }));
  }
  return { pem, bodies };
}

/**
 * Runs every variant; returns `{results: [{name, provider, store, processes, perSecond, p50, p99, ok, bad, stored}], skipped, config}`.
 * `stored` is counted in the database afterwards (every callback is distinct: it must equal `sent`).
 */
export async function measureStores(config = STORE_BENCH) {
  const { findPgBin, startCluster } = await import('../test/node/server/pg-cluster.mjs');
  const modules = await buildServerModules('stores');
  const dir = mkdtempSync(join(tmpdir(), 'finframe-bench-stores-'));
  const results = [];
  let skipped;
  let cluster;
  try {
    if (findPgBin()) cluster = await startCluster();
    else skipped = 'PostgreSQL rows skipped: no initdb in /usr/lib/postgresql/*/bin (apt-get install postgresql)';
    const { default: pg } = await import('pg');
    const { default: Database } = await import('better-sqlite3');
    for (const variant of VARIANTS) {
      if (variant.store === 'postgres' && !cluster) continue;
      const sizes = config[variant.provider];
      const n = sizes.warmup + sizes.measured;
      const prefix = variant.name.replace(/-/g, '_');
      const flexpay = variant.provider === 'flexpay' ? await flexpayBodies(dir, prefix, n) : undefined;
      const bodies = flexpay ? flexpay.bodies : finapiBodies(prefix, n);
      const base = { provider: variant.provider, store: variant.store, path: join(dir, `${prefix}.db`), connectionString: cluster?.connectionString, schema: prefix, pem: flexpay?.pem };
      // The first process creates the schema, so the others do not all wait on the migration lock at once.
      const first = startChild(modules, base);
      const children = [first];
      await first.port;
      for (let i = 1; i < variant.processes; i++) children.push(startChild(modules, base));
      let result;
      try {
        const ports = await Promise.all(children.map((c) => c.port));
        const path = variant.provider === 'finapi' ? `/callbacks/finapi?secret=${SECRET}` : '/callbacks/flexpay';
        result = { ...variant, ...(await driveAll(ports, bodies, path, { warmup: sizes.warmup, concurrency: config.concurrency })) };
      } finally {
        for (const c of children) c.proc.kill('SIGTERM');
        await Promise.all(children.map((c) => c.exited));
      }
      if (variant.store === 'sqlite') {
        const db = new Database(base.path, { readonly: true });
        result.stored = db.prepare('SELECT count(*) AS n FROM finframe_records').get().n;
        result.pending = db.prepare('SELECT count(*) AS n FROM finframe_deliveries').get().n;
        db.close();
      } else {
        const client = new pg.Client({ connectionString: cluster.connectionString });
        await client.connect();
        result.stored = Number((await client.query(`SELECT count(*) AS n FROM "${prefix}".finframe_records`)).rows[0].n);
        result.pending = Number((await client.query(`SELECT count(*) AS n FROM "${prefix}".finframe_deliveries`)).rows[0].n);
        await client.end();
      }
      results.push(result);
    }
  } finally {
    await cluster?.destroy();
    rmSync(modules, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return { results, skipped, config };
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

export function printStores({ results, skipped, config }, table, log = console.log) {
  log(`  finAPI: ${config.finapi.measured} distinct callbacks measured after ${config.finapi.warmup}; FlexPay (RS256 receipt verified): ${config.flexpay.measured} after ${config.flexpay.warmup};`);
  log(`  ${config.concurrency} keep-alive clients round robin over the receiver processes; every receiver has an onUpdate (no-op), so each`);
  log('  change also writes and settles its outbox delivery. SQLite: synchronous FULL, one file. PostgreSQL: a local cluster,');
  log('  fsync and synchronous_commit on, pool of 16 per process. Clients, receivers and the database share the machine.');
  log('');
  table(
    ['provider', 'store', 'processes', 'callbacks/s', 'p50 ms', 'p99 ms', 'checked'],
    results.map((r) => [
      r.provider,
      r.store,
      String(r.processes),
      fmtInt(r.perSecond),
      r.p50.toFixed(1),
      r.p99.toFixed(1),
      r.stored === r.sent && r.bad === 0 && r.pending === 0 ? `${fmtInt(r.ok)} × 200; ${fmtInt(r.stored)} rows = sent; outbox empty` : `rows ${r.stored} of ${r.sent}, ${r.bad} not 200, ${r.pending} pending!`,
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'l'],
  );
  if (skipped) log(`  ${skipped}`);
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

function plainTable(headers, rows, align) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `  ${cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd()}`;
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], JSON.parse(process.argv[4]));
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.chdir(ROOT);
  const started = performance.now();
  printStores(await measureStores(), plainTable);
  console.log(`\n  run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
