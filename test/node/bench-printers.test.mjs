// The benchmark's section printers and bench/run.mjs's table agree: every printer passes one
// alignment per column and rows as wide as the header. (The stores section once passed no
// alignment, and `npm run bench` crashed after measuring for minutes.) Synthetic figures; nothing
// is measured here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printCallbacks, printFanout, printFlexPay } from '../../bench/server.mjs';
import { printStores } from '../../bench/stores.mjs';

/** A table that checks what run.mjs's table needs, and records what it was given. */
function strictTable() {
  const calls = [];
  const table = (headers, rows, align) => {
    assert.ok(Array.isArray(align), `no alignment for the table [${headers.join(', ')}]`);
    assert.equal(align.length, headers.length, `alignment for ${align.length} of ${headers.length} columns`);
    for (const a of align) assert.ok(a === 'l' || a === 'r', `alignment ${a}`);
    for (const row of rows) {
      assert.equal(row.length, headers.length, `a row of ${row.length} cells under ${headers.length} headers`);
      for (const cell of row) assert.equal(typeof cell, 'string', `cell ${cell} is not a string`);
    }
    calls.push({ headers, rows });
  };
  return { table, calls };
}

const server = (name, perSecond, extra = {}) => ({ name, label: name, perSecond, p50: 1, p99: 4, measured: 100, sent: 110, ok: 100, okAll: 110, bad: 0, cpuPerRequest: 40, ...extra });
const quiet = () => {};

test('printCallbacks: one alignment per column, the target verdict from the memoryStore row', () => {
  const { table, calls } = strictTable();
  const lines = [];
  const results = ['bare', 'fetch', 'adapter', 'memory', 'sqlite-full', 'sqlite-normal'].map((name, i) =>
    server(name, name === 'memory' ? 600 : 1000 - i, name.startsWith('sqlite') ? { stored: 110 } : {}),
  );
  printCallbacks({ results, config: { rounds: 3, warmupMs: 500, measureMs: 2000, concurrency: 32 } }, table, (line) => lines.push(line));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].rows.length, results.length);
  assert.ok(lines.some((line) => /memoryStore: 0\.60× of bare's rate — target ≥ 0\.5×: MET/.test(line)), lines.join('\n'));
});

test('printFlexPay, printFanout, printStores: one alignment per column', () => {
  const { table, calls } = strictTable();
  printFlexPay(
    { results: [server('flexpay-bare', 1000), server('flexpay-sqlite-full', 500, { stored: 110, withReceipt: 0 }), server('flexpay-memory', 500)], config: { callbacks: 110, concurrency: 32, warmup: 10, rounds: 2 }, signMs: 100, bodyBytes: 1100 },
    table,
    quiet,
  );
  printFanout(
    { results: [{ watchers: 500, openMs: 800, rssPerWatcher: 30_000, heapPerWatcher: 15_000, postMs: 12, p50: 70, p99: 120, max: 130, received: 500, connected: 500, postStatus: 200 }], skipped: [], totalMs: 9000 },
    table,
    quiet,
  );
  const store = (provider, kind, processes) => ({ name: `${provider}-${kind}-${processes}`, provider, store: kind, processes, perSecond: 500, p50: 10, p99: 30, ok: 110, bad: 0, sent: 110, stored: 110, pending: 0 });
  printStores({ results: [store('finapi', 'sqlite', 1), store('flexpay', 'postgres', 3)], skipped: undefined, config: { finapi: { warmup: 10, measured: 100 }, flexpay: { warmup: 10, measured: 100 }, concurrency: 32 } }, table, quiet);
  assert.equal(calls.length, 3);
});
