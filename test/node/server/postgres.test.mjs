// finframe/server/postgres against a real PostgreSQL (a throwaway cluster, see pg-cluster.mjs):
// the store's own guarantees (schema migration by several instances at once, pools, LISTEN/NOTIFY
// and its fallback), then receivers in three child processes on one database — concurrent and
// identical callbacks, a SIGKILL mid-load, a PostgreSQL restart mid-load, and a status stream on
// one instance hearing a change stored by another.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresStore, POSTGRES_SCHEMA_VERSION } from 'finframe/server/postgres';
import { freshSchema, startCluster } from './pg-cluster.mjs';
import { SECRET, flexpayBody, flexpayKeys, signReceipt, tempDir } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('./fixtures/pg-server.mjs', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(check, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(20);
  }
}
const quantile = (values, p) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
};

let cluster;
before(async () => {
  cluster = await startCluster({ fsync: false });
});
after(async () => {
  await cluster?.destroy();
});

/** A store in the test process (closed after the test). */
function store(t, options = {}) {
  const s = postgresStore({ connectionString: cluster.connectionString, onError: () => {}, ...options });
  t.after(() => s.close());
  return s;
}

/** Starts `n` receiver processes on one schema; each `{child, port, url, exited}`; killed after the test. */
async function startReceivers(t, n, config) {
  const start = async () => {
    const child = spawn(process.execPath, [SERVER, JSON.stringify({ connectionString: cluster.connectionString, secret: SECRET, ...config })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    t.after(() => child.kill('SIGKILL'));
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const port = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).port);
      });
      child.on('exit', () => reject(new Error('a receiver exited before listening')));
    });
    return { child, port, base: `http://127.0.0.1:${port}`, exited };
  };
  const receivers = await Promise.all(Array.from({ length: n }, start));
  receivers.start = start;
  return receivers;
}

const webForm = (i, status = 'COMPLETED') => ({ webFormId: `wf-${i}`, status });
async function postFinapi(base, body) {
  const response = await fetch(`${base}/callbacks/finapi?secret=${SECRET}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
}

/** The hook log's lines: `{deliveryId, change: key@version, attempt, phase: start|done, pid}`. */
function hookLines(path) {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [deliveryId, change, attempt, phase, pid] = line.split(' ');
      return { deliveryId, change, attempt: Number(attempt), phase, pid: Number(pid) };
    });
}

/** `key@version` of every hook run that finished, with counts. */
function hookRuns(path) {
  const runs = new Map();
  for (const { change, phase } of hookLines(path)) if (phase === 'done') runs.set(change, (runs.get(change) ?? 0) + 1);
  return runs;
}

describe('postgresStore', () => {
  test('options are checked: a pool or a connection string, identifiers, pollMs', () => {
    assert.throws(() => postgresStore(), /options are required/);
    assert.throws(() => postgresStore({}), /options\.pool .* or options\.connectionString/);
    assert.throws(() => postgresStore({ connectionString: cluster.connectionString, pool: new pg.Pool() }), /not both/);
    assert.throws(() => postgresStore({ pool: {} }), /options\.pool must be a pg\.Pool/);
    assert.throws(() => postgresStore({ connectionString: 'x', schema: 'Robert"); DROP TABLE' }), /options\.schema/);
    assert.throws(() => postgresStore({ connectionString: 'x', tablePrefix: 'a-b' }), /options\.tablePrefix/);
    assert.throws(() => postgresStore({ connectionString: 'x', pollMs: 1 }), /options\.pollMs/);
  });

  test('six instances starting at once on an empty schema migrate it once; a newer schema is refused', async (t) => {
    const schema = freshSchema();
    const stores = Array.from({ length: 6 }, () => store(t, { schema }));
    const results = await Promise.allSettled(stores.map((s, i) => s.transact(`k${i}`, () => ({ i }))));
    assert.deepEqual(results.map((r) => r.status), Array(6).fill('fulfilled'), String(results.find((r) => r.reason)?.reason));
    const db = new pg.Client({ connectionString: cluster.connectionString });
    await db.connect();
    t.after(() => db.end());
    const { rows } = await db.query(`SELECT version FROM "${schema}".finframe_schema_version`);
    assert.deepEqual(rows, [{ version: POSTGRES_SCHEMA_VERSION }]);
    const tables = await db.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema]);
    assert.deepEqual(tables.rows.map((r) => r.table_name), ['finframe_deliveries', 'finframe_records', 'finframe_schema_version']);
    assert.equal((await stores[0].list()).length, 6);

    await db.query(`UPDATE "${schema}".finframe_schema_version SET version = 99`);
    await assert.rejects(store(t, { schema }).get('k0'), /schema version 99, newer/);
  });

  test('a pool passed in is borrowed, not ended; a table prefix keeps two stores apart in one schema', async (t) => {
    const pool = new pg.Pool({ connectionString: cluster.connectionString, max: 2 });
    pool.on('error', () => {});
    t.after(() => pool.end());
    const schema = freshSchema();
    const a = postgresStore({ pool, schema, listen: false });
    const b = postgresStore({ pool, schema, tablePrefix: 'other_', listen: false });
    await a.transact('k', () => ({ from: 'a' }));
    assert.equal(await b.get('k'), undefined);
    await a.close();
    await b.close();
    assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool still works');
    await assert.rejects(a.get('k'), /closed/);
  });

  test('subscribe hears another instance’s change through NOTIFY; with the LISTEN connection killed it polls, then reconnects', async (t) => {
    const schema = freshSchema();
    const a = store(t, { schema });
    const b = store(t, { schema, pollMs: 50 });
    const seen = [];
    b.subscribe('k', (record) => seen.push({ version: record.version, at: performance.now() }));
    assert.ok(await until(() => b.listening), 'listening');
    assert.equal(b.subscribesAcrossProcesses, true);
    await a.get('warm-up'); // a's migration check and first connection are not what is measured
    const t0 = performance.now();
    await a.transact('k', () => ({ v: 1 }));
    assert.ok(await until(() => seen.length === 1, 2000));
    assert.ok(seen[0].at - t0 < 100, `heard after ${seen[0].at - t0} ms`);

    // Kill b's LISTEN connection from the server side.
    const admin = new pg.Client({ connectionString: cluster.connectionString });
    await admin.connect();
    const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    await admin.end();
    assert.ok(killed.rowCount >= 1);
    assert.ok(await until(() => !b.listening, 2000), 'noticed the loss');
    await a.transact('k', () => ({ v: 2 }));
    assert.ok(await until(() => seen.length === 2, 3000), 'heard by polling or after reconnecting');
    assert.ok(await until(() => b.listening, 5000), 'reconnected');
    await a.transact('k', () => ({ v: 3 }));
    assert.ok(await until(() => seen.length === 3, 2000));
    assert.deepEqual(seen.map((s) => s.version), [1, 2, 3], 'each change once, in order');
  });
});

describe('three receiver processes on one database', () => {
  test('the same callback sent to all three makes one change and one hook run; distinct callbacks all land', { timeout: 60_000 }, async (t) => {
    const schema = freshSchema();
    const hookLog = join(tempDir(t), 'hooks.log');
    const receivers = await startReceivers(t, 3, { schema, hookLog });
    // 20 web forms, each sent twice to each of the three at once.
    const same = await Promise.all(
      Array.from({ length: 20 }, (_, i) => Promise.all(receivers.flatMap((r) => [postFinapi(r.base, webForm(`same-${i}`)), postFinapi(r.base, webForm(`same-${i}`))]))),
    );
    for (const answers of same) {
      assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.status)));
      assert.equal(answers.filter((a) => a.body.changed).length, 1, 'exactly one change');
      assert.equal(answers.filter((a) => a.body.duplicate).length, 5);
    }
    // 200 distinct callbacks spread over the three by 24 concurrent clients.
    let next = 0;
    const acked = [];
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < 200) {
          const i = next++;
          const answer = await postFinapi(receivers[i % 3].base, webForm(`distinct-${i}`));
          assert.equal(answer.status, 200);
          acked.push(i);
        }
      }),
    );
    const check = store(t, { schema, listen: false });
    const records = await check.list({ limit: 1000 });
    assert.equal(records.length, 220);
    assert.ok(records.every((r) => r.version === 1));
    const runs = await until(() => {
      const r = hookRuns(hookLog);
      return r.size === 220 && r;
    });
    assert.ok(runs, `hooks ran for ${hookRuns(hookLog).size} of 220 changes`);
    assert.ok([...runs.values()].every((n) => n === 1), 'once each (no failure, no retry)');
  });

  test('SIGKILL of one mid-load, hooks mid-run, loses no acknowledged callback, and every change’s hook runs to its end at least once after it restarts', { timeout: 60_000 }, async (t) => {
    const schema = freshSchema();
    const hookLog = join(tempDir(t), 'hooks.log');
    // Each hook takes 100 ms, so the kill lands while some of the killed instance's hooks are running.
    const config = { schema, hookLog, hookDelayMs: 100, delivery: { leaseMs: 800, pollMs: 50, minDelayMs: 50, maxDelayMs: 200 } };
    const receivers = await startReceivers(t, 3, config);
    const acked = new Set();
    let next = 0;
    let killed = false;
    let failed = 0;
    await Promise.all(
      Array.from({ length: 24 }, async () => {
        while (next < 600) {
          const i = next++;
          const target = receivers[i % 3];
          try {
            const answer = await postFinapi(target.base, webForm(`k-${i}`));
            if (answer.status === 200) acked.add(`webForm:wf-k-${i}`);
          } catch {
            failed++;
          }
          if (!killed && acked.size >= 200) {
            killed = true;
            receivers[0].child.kill('SIGKILL');
          }
        }
      }),
    );
    assert.equal((await receivers[0].exited).signal, 'SIGKILL');
    assert.ok(failed > 0, 'requests to the killed one failed');
    await receivers.start(); // the killed instance comes back (another process, same config)

    const check = store(t, { schema, listen: false });
    for (const key of acked) assert.ok(await check.get(key), `${key} was acknowledged but is not stored`);
    const records = await check.list({ limit: 1000 });
    const all = [...records];
    for (let page = records; page.length === 1000; ) {
      page = (await check.list({ limit: 1000 })).filter((r) => r.key > all.at(-1).key);
      all.push(...page);
    }
    const drained = await until(async () => (await check.outbox.list(undefined, { limit: 1 })).length === 0, 15_000);
    assert.ok(drained, 'the outbox drained');
    const runs = hookRuns(hookLog);
    const stored = await (async () => {
      const db = new pg.Client({ connectionString: cluster.connectionString });
      await db.connect();
      try {
        return (await db.query(`SELECT key, version FROM "${schema}".finframe_records`)).rows;
      } finally {
        await db.end();
      }
    })();
    const missing = stored.filter((r) => !runs.has(`${r.key}@${r.version}`));
    assert.deepEqual(missing, [], 'every stored change had its hook run to its end');
    // The kill did catch hooks mid-run: started in the killed process, never finished there. Each
    // ran again, to its end, under the same delivery id, once its lease had expired.
    const lines = hookLines(hookLog);
    const killedPid = receivers[0].child.pid;
    const finishedThere = new Set(lines.filter((l) => l.pid === killedPid && l.phase === 'done').map((l) => l.deliveryId));
    const cut = lines.filter((l) => l.pid === killedPid && l.phase === 'start' && !finishedThere.has(l.deliveryId));
    assert.ok(cut.length > 0, 'no hook was running when the instance was killed');
    for (const interrupted of cut) {
      const rerun = lines.find((l) => l.deliveryId === interrupted.deliveryId && l.phase === 'done' && l.pid !== killedPid);
      assert.ok(rerun, `the hook of ${interrupted.change} was cut off and never ran again`);
      assert.ok(rerun.attempt > interrupted.attempt, `${interrupted.change}: attempt ${rerun.attempt} after ${interrupted.attempt}`);
    }
    t.diagnostic(
      `${acked.size} acknowledged, ${stored.length} stored, ${failed} failed at the kill; ${cut.length} hooks cut off mid-run and run again; ` +
        `${[...runs.values()].filter((n) => n > 1).length} hooks ran to the end more than once`,
    );
  });

  test('PostgreSQL restarting mid-load: 503 with Retry-After while it is down, 200 again after, without restarting the receivers', { timeout: 60_000 }, async (t) => {
    const schema = freshSchema();
    const receivers = await startReceivers(t, 3, { schema });
    const acked = new Set();
    const statuses = new Map();
    let next = 0;
    let phase = 'before';
    const load = Promise.all(
      Array.from({ length: 12 }, async () => {
        while (phase !== 'done') {
          const i = next++;
          const startedIn = phase; // counted by the phase the request started in
          let answer;
          try {
            answer = await postFinapi(receivers[i % 3].base, webForm(`r-${i}`));
          } catch (error) {
            throw new Error(`a receiver failed to answer: ${error.message}`);
          }
          // Started and answered in one phase: `before:200`; across phases: `before>stopping:503`.
          const key = `${startedIn === phase ? phase : `${startedIn}>${phase}`}:${answer.status}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          if (answer.status === 200) acked.add(`webForm:wf-r-${i}`);
          else {
            assert.equal(answer.status, 503, JSON.stringify(answer));
            assert.equal(answer.body.error, 'store_unavailable');
            assert.equal(answer.retryAfter, '5');
          }
          if (phase === 'down') await sleep(5);
        }
      }),
    );
    await until(() => acked.size >= 100);
    phase = 'stopping';
    await cluster.stop(); // resolves when the postmaster is gone
    phase = 'down';
    await sleep(500);
    cluster.start();
    phase = 'after';
    const before = acked.size;
    assert.ok(await until(() => acked.size >= before + 100, 20_000), 'answers 200 again');
    phase = 'done';
    await load;
    assert.ok((statuses.get('down:503') ?? 0) > 0, `503 while down: ${JSON.stringify([...statuses])}`);
    assert.equal(statuses.get('before:503') ?? 0, 0, 'no 503 while the database was up');
    assert.equal(statuses.get('down:200') ?? 0, 0, 'nothing acknowledged while the database was down');
    const check = store(t, { schema, listen: false });
    for (const key of acked) assert.ok(await check.get(key), `${key} was acknowledged but is not stored`);
    t.diagnostic(JSON.stringify(Object.fromEntries(statuses)));
  });

  test('a status stream on one instance hears a change stored by another within 100 ms (p99 of 50)', { timeout: 60_000 }, async (t) => {
    const schema = freshSchema();
    const keys = await flexpayKeys();
    const [watched, writer] = await startReceivers(t, 2, { schema, pem: keys.pem });
    const N = 50;
    const bodies = [];
    for (let i = 0; i < N; i++) {
      const reference = `stream-${i}`;
      bodies.push(flexpayBody(await signReceipt(keys, { id: `app-${i}`, reference }), { id: `app-${i}`, reference, status: 'SUCCESSFUL' }));
    }
    const controller = new AbortController();
    t.after(() => controller.abort());
    // One watcher per reference, all on `watched`; each resolves when SUCCESSFUL arrives.
    const arrivals = await Promise.all(
      bodies.map(async (body) => {
        const response = await fetch(`${watched.base}/status?reference=${body.reference}`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
        assert.equal(response.status, 200, `watcher: ${response.status} ${response.status === 200 ? '' : await response.text()}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let text = '';
        while (!text.includes('event: status')) text += decoder.decode((await reader.read()).value);
        // Wrapped in an object: an async function returning a promise would wait for it.
        const arrival = (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return undefined;
            text += decoder.decode(value);
            if (text.includes('"SUCCESSFUL"')) return performance.now();
          }
        })();
        return { arrival };
      }),
    );
    // Warm the writer (its migration check, pool, the key import) on a reference nobody watches.
    const warm = flexpayBody(await signReceipt(keys, { id: 'app-warm', reference: 'warm' }), { id: 'app-warm', reference: 'warm', status: 'SUCCESSFUL' });
    await fetch(`${writer.base}/callbacks/flexpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(warm) }).then((r) => r.text());
    // Measured from the 200 (B answers after COMMIT, so this is at most the time from the commit)
    // and, for the record, from sending the POST (which adds B's own work: receipt, transaction).
    const fromAck = [];
    const fromPost = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const response = await fetch(`${writer.base}/callbacks/flexpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[i]) });
      const acked = performance.now();
      assert.equal(response.status, 200, await response.text());
      const at = await Promise.race([arrivals[i].arrival, sleep(3000).then(() => undefined)]);
      assert.ok(at !== undefined, `watcher ${i} heard nothing within 3 s`);
      fromAck.push(Math.max(0, at - acked));
      fromPost.push(at - t0);
    }
    const fmt = (values) => `p50 ${quantile(values, 0.5).toFixed(1)} ms, p99 ${quantile(values, 0.99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
    t.diagnostic(`stored on instance B (its 200) → event on instance A: ${fmt(fromAck)}; from sending the POST: ${fmt(fromPost)}`);
    assert.ok(quantile(fromAck, 0.99) < 100, `p99 ${quantile(fromAck, 0.99).toFixed(1)} ms`);
  });
});
