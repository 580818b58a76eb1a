// Schema validation throughput in Node: how many Flinks messages per second the element's own
// parser (decode, prototype-safe copy, zod/mini schema, freeze) handles, against a hand-written
// check of the same shape. This is the "validated messages per second" figure without the DOM:
// the browser section measures the whole gate including event dispatch.
import { rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { onwarn } from '../rollup.config.mjs';

async function loadParser() {
  const entryDir = mkdtempSync(join(tmpdir(), 'finframe-bench-entry-'));
  const entry = join(entryDir, 'entry.ts');
  writeFileSync(
    entry,
    `export { parseFlinksMessage } from '${process.cwd()}/src/components/flinks-connect/flinks-connect.schema.ts';\n` +
      `export { parseFlexitiMessage } from '${process.cwd()}/src/components/flexiti-widget/flexiti-widget.schema.ts';\n`,
  );
  const build = await rollup({
    input: entry,
    plugins: [nodeResolve(), esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    onwarn: (w) => onwarn(w, () => {}),
  });
  const { output } = await build.generate({ format: 'es' });
  rmSync(entryDir, { recursive: true, force: true });
  const dir = mkdtempSync(join(tmpdir(), 'finframe-bench-'));
  const file = join(dir, 'schema.mjs');
  writeFileSync(file, output[0].code);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Flexiti's shape, checked by hand the same way. */
function handWrittenFlexiti(raw) {
  const d = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (typeof d !== 'object' || d === null) return undefined;
  if (d.eventType === 'flx-cancel') return d;
  if (d.eventType !== 'flx-success' || typeof d.eventData !== 'object' || d.eventData === null) return undefined;
  const e = d.eventData;
  if (e.accountNumber != null && !Number.isInteger(e.accountNumber)) return undefined;
  if (e.verified !== undefined && typeof e.verified !== 'boolean') return undefined;
  return d;
}

/** What a careful hand-written listener would check: the same shape, no copy, no freeze. */
function handWritten(raw) {
  let d = raw;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return undefined;
    }
  }
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return undefined;
  if (typeof d.step === 'string' && /^[A-Za-z0-9_.:-]{1,128}$/.test(d.step)) return d;
  return undefined;
}

function rate(fn, input, ms = 400) {
  for (let i = 0; i < 20_000; i++) fn(input); // warm-up
  let n = 0;
  let accepted = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) if (fn(input) !== undefined) accepted++;
    n += 1000;
  }
  return { perSecond: (n * 1000) / ms, accepted: accepted === n ? 'all' : accepted === 0 ? 'none' : `${accepted}/${n}` };
}

export async function measureValidation() {
  const { parseFlinksMessage, parseFlexitiMessage } = await loadParser();
  const flexitiSuccess = {
    eventType: 'flx-success',
    eventData: { accountNumber: 2233000, verified: true, action: 'purchase', mfaOptionSelected: 'sms', widget_session_id: '0d9f3c1e-5b0a-4c7e-9a51-3f1c2b7d8e90', customerId: '1234567-12345', accountType: 'consumer' },
  };
  const cases = [
    ['valid step (object)', { step: 'INSTITUTION_SELECTED', institution: 'FlinksCapital' }],
    ['valid step (JSON string)', '{"step":"INSTITUTION_SELECTED","institution":"FlinksCapital"}'],
    ['REDIRECT (loginId from url)', { step: 'REDIRECT', url: 'https://toolbox-iframe.private.fin.ag/v2/Result?loginId=b92b2bbd-31f8-4e36-795b-08db4111f24d&accountId=a1,a2' }],
    ['malformed {step: 42}', { step: 42 }],
  ];
  const flexitiCases = [
    ['flexiti: valid flx-success (object)', flexitiSuccess],
    ['flexiti: valid flx-success (JSON string)', JSON.stringify(flexitiSuccess)],
    ['flexiti: malformed (verified "true")', { eventType: 'flx-success', eventData: { verified: 'true' } }],
  ];
  return [
    ...cases.map(([name, input]) => ({ name, finframe: rate(parseFlinksMessage, input), baseline: rate(handWritten, input) })),
    ...flexitiCases.map(([name, input]) => ({ name, finframe: rate(parseFlexitiMessage, input), baseline: rate(handWrittenFlexiti, input) })),
  ];
}
