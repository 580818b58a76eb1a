// The framework typings in types/ (generated from custom-elements.json) checked by each framework's
// own type checker, against the built package through its `exports` (`finframe/jsx-react`, …):
// test/types/frameworks/<framework>/right.* must have no error, and wrong.* exactly the errors its
// `expect TSxxxx` markers announce, each on the line after its marker. One checker run per
// framework, all four at once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url);
const dir = (framework) => new URL(`test/types/frameworks/${framework}/`, root);
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname;

/** Runs a checker; resolves to its exit code and output, whatever the code. */
const run = (command, args) =>
  new Promise((resolve) => {
    execFile(command, args, { cwd: root.pathname, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });

/** `file(line,col): error TS1234:` lines, as tsc and vue-tsc print them. */
const tscErrors = (output) =>
  [...output.matchAll(/^(?:.*\/)?([\w.-]+)\((\d+),\d+\): error (TS\d+):/gm)].map(([, file, line, code]) => ({ file, line: Number(line), code }));

/** svelte-check's machine-verbose lines: JSON with 0-based lines and numeric codes. */
const svelteErrors = (output) =>
  output
    .split('\n')
    .map((line) => /^\d+ (\{.*\})$/.exec(line)?.[1])
    .filter(Boolean)
    .map((json) => JSON.parse(json))
    .filter((d) => d.type === 'ERROR')
    .map((d) => ({ file: d.filename.split('/').pop(), line: d.start.line + 1, code: `TS${d.code}` }));

/** The `expect TSxxxx` markers of a wrong-usage file: each announces an error on the next line. */
function expected(framework, file) {
  const lines = readFileSync(new URL(file, dir(framework)), 'utf8').split('\n');
  return lines.flatMap((text, i) => {
    const code = /\bexpect (TS\d+)\b/.exec(text)?.[1];
    return code ? [{ file, line: i + 2, code }] : [];
  });
}

const key = (e) => `${e.file}:${e.line} ${e.code}`;
const tsconfig = (framework) => new URL('tsconfig.json', dir(framework)).pathname;

const checkers = {
  react: { right: 'right.tsx', wrong: 'wrong.tsx', parse: tscErrors, run: () => run(bin('tsc'), ['-p', tsconfig('react')]) },
  vue: { right: 'right.vue', wrong: 'wrong.vue', parse: tscErrors, run: () => run(bin('vue-tsc'), ['--noEmit', '-p', tsconfig('vue')]) },
  svelte: {
    right: 'right.svelte',
    wrong: 'wrong.svelte',
    parse: svelteErrors,
    // --tsconfig is read relative to the workspace.
    run: () => run(bin('svelte-check'), ['--workspace', dir('svelte').pathname, '--tsconfig', './tsconfig.json', '--output', 'machine-verbose']),
  },
  angular: { right: 'right.ts', wrong: 'wrong.ts', parse: tscErrors, run: () => run(bin('tsc'), ['-p', tsconfig('angular')]) },
};

// Start every checker now, so the four run side by side.
const results = Object.fromEntries(Object.entries(checkers).map(([name, c]) => [name, c.run()]));

for (const [name, checker] of Object.entries(checkers)) {
  test(`${name}: the right usage passes and every wrong usage fails its type checker with the expected error`, async () => {
    const { code, output } = await results[name];
    const errors = checker.parse(output);
    const want = expected(name, checker.wrong);
    assert.ok(want.length >= 4, `${checker.wrong} announces at least four wrong usages`);
    assert.notEqual(code, 0, `the checker must fail on ${checker.wrong}:\n${output}`);
    assert.deepEqual(
      errors.filter((e) => e.file === checker.right).map(key),
      [],
      `${checker.right} must type-check:\n${output}`,
    );
    assert.deepEqual(
      errors.filter((e) => e.file === checker.wrong).map(key).sort(),
      want.map(key).sort(),
      `${checker.wrong}: the errors differ from its markers:\n${output}`,
    );
    assert.deepEqual(
      errors.filter((e) => e.file !== checker.right && e.file !== checker.wrong).map(key),
      [],
      `no error elsewhere:\n${output}`,
    );
  });
}

test("vue-tsc runs with strictTemplates, the setting docs/frameworks.md recommends (unknown attributes and events are errors)", () => {
  const config = JSON.parse(readFileSync(new URL('vue/tsconfig.json', dir('.')), 'utf8'));
  assert.equal(config.vueCompilerOptions?.strictTemplates, true);
});

test('the generated typings are the ones the package exports', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  for (const [entry, file] of [['./jsx-react', './types/jsx-react.d.ts'], ['./vue', './types/vue.d.ts'], ['./svelte', './types/svelte.d.ts']]) {
    assert.equal(pkg.exports[entry]?.types, file, `package.json exports ${entry}`);
  }
  assert.ok(pkg.files.includes('types'), 'package.json files ships types/');
});
