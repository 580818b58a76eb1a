// Durability: a receiver with the SQLite store is killed with SIGKILL while callbacks stream in.
// Every callback that got a 2xx before the kill must be in the file when it is reopened — the
// store commits (and, with synchronous FULL, fsyncs) before the handler answers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sqliteStore } from 'finframe/server/sqlite';
import { SECRET, tempDir } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('./fixtures/callback-server.mjs', import.meta.url));
const WEB_FORM = ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'];
const TASK = ['NOT_YET_STARTED', 'IN_PROGRESS', 'WEB_FORM_REQUIRED', 'COMPLETED', 'COMPLETED_WITH_ERROR'];

/** Distinct callbacks: even i a web form, odd i a task with a web form. */
function callback(i) {
  if (i % 2 === 0) return { key: `webForm:wf-${i}`, body: { webFormId: `wf-${i}`, status: WEB_FORM[i % WEB_FORM.length] } };
  const body = { taskId: `task-${i}`, status: TASK[i % TASK.length], webForm: { id: `wf-of-${i}`, url: `https://webform.finapi.io/wf/wf-of-${i}`, status: WEB_FORM[i % WEB_FORM.length] } };
  return { key: `task:task-${i}`, body };
}

async function startChild(path, synchronous) {
  const child = spawn(process.execPath, [SERVER, path, synchronous, SECRET], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line).port);
    });
    child.on('exit', () => reject(new Error('the server exited before listening')));
  });
  return { child, port, exited };
}

for (const synchronous of ['FULL', 'NORMAL']) {
  test(`SIGKILL mid-load loses no acknowledged callback (synchronous ${synchronous})`, { timeout: 60_000 }, async (t) => {
    const path = join(tempDir(t, 'finframe-crash-'), 'callbacks.db');
    const { child, port, exited } = await startChild(path, synchronous);
    t.after(() => child.kill('SIGKILL'));

    const acked = new Map(); // key → body
    const KILL_AFTER = 400;
    const CONCURRENCY = 16;
    let next = 0;
    let failed = 0;
    let killed = false;
    let killedAt = 0;

    const client = async () => {
      while (next < 20_000) {
        const { key, body } = callback(next++);
        try {
          const response = await fetch(`http://127.0.0.1:${port}/callbacks/finapi?secret=${SECRET}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          const answer = await response.json();
          if (response.ok) {
            assert.equal(answer.key, key);
            acked.set(key, body);
          }
        } catch {
          failed++;
          if (killed) return; // the server is gone: this client stops
        }
        if (!killed && acked.size >= KILL_AFTER) {
          killed = true;
          killedAt = acked.size;
          child.kill('SIGKILL'); // while the other clients' requests are in flight
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL');
    assert.ok(failed > 0, 'some requests were in flight when the server died');

    const store = sqliteStore({ path });
    t.after(() => store.close());
    let stored = 0;
    for (const [key, body] of acked) {
      const record = await store.get(key);
      assert.ok(record, `${key} was acknowledged but is not in the database`);
      assert.deepEqual(record.data, body);
      stored++;
    }
    assert.equal(stored, acked.size);
    t.diagnostic(`${acked.size} acknowledged (kill after ${killedAt}), ${failed} failed in flight, all ${stored} found after reopening`);
  });
}
