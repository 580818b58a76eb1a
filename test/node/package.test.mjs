// The package as a user gets it: `npm pack`, unpacked into a throwaway project's node_modules
// (its dependencies linked from ours, so nothing is downloaded), then used from there — every
// `exports` target present, every manifest path present, nothing that is not for users shipped,
// the entries importable in Node, and the types resolving in a strict TypeScript consumer under
// both `bundler` and `node16` resolution. The repository's own tests import `finframe` through the
// workspace; only this one sees what `files` in package.json really publishes. Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'finframe-pack-'));
const consumer = join(work, 'consumer');
const installed = join(consumer, 'node_modules', 'finframe');
let files = [];

const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

/** Every file target of `exports` (conditions flattened). */
function exportTargets(value) {
  if (typeof value === 'string') return [value];
  return Object.values(value).flatMap(exportTargets);
}

before(() => {
  assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is missing: run `npm run build` first');
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root }));
  files = packed.files.map((file) => file.path);
  mkdirSync(installed, { recursive: true });
  run('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1']);
  // The dependencies a user's install would bring, linked from this repository's node_modules.
  const linked = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies), 'react-dom', '@types/react', '@types/react-dom'];
  for (const name of linked) {
    const target = join(consumer, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), target, 'dir');
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
});

after(() => rmSync(work, { recursive: true, force: true }));

test('every exports target of package.json is in the tarball', () => {
  const targets = Object.values(pkg.exports).flatMap(exportTargets);
  assert.ok(targets.length > 40, `only ${targets.length} export targets`);
  const missing = targets.filter((target) => !existsSync(join(installed, target)));
  assert.deepEqual(missing, [], 'exports that point at files the tarball does not hold');
});

test('every module path of custom-elements.json is in the tarball', () => {
  const manifest = JSON.parse(readFileSync(join(installed, 'custom-elements.json'), 'utf8'));
  const paths = manifest.modules.map((module) => module.path);
  assert.ok(paths.length > 10);
  assert.deepEqual(
    paths.filter((path) => !existsSync(join(installed, path))),
    [],
  );
  assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).customElements, 'custom-elements.json');
});

test('the tarball ships what users need and nothing else', () => {
  for (const required of ['README.md', 'LICENSE.txt', 'package.json', 'custom-elements.json']) assert.ok(files.includes(required), `${required} is not in the package`);
  for (const file of files) {
    assert.match(file, /^(dist\/|types\/|custom-elements\.json$|integrations\/shopify\/|README\.md$|LICENSE\.txt$|package\.json$)/, `unexpected file in the package: ${file}`);
    assert.doesNotMatch(file, /(^|\/)(src|test|demo|bench|\.ci)\//, file);
    assert.doesNotMatch(file, /\.(env|pem|key|sqlite|db|tgz)$/, file);
  }
  // The CDN folder is served as it is: no source maps there, and every file named in integrity.json.
  const cdn = files.filter((file) => file.startsWith('dist/cdn/'));
  assert.deepEqual(cdn.filter((file) => file.endsWith('.map')), []);
  const integrity = JSON.parse(readFileSync(join(installed, 'dist/cdn/integrity.json'), 'utf8'));
  for (const file of cdn) if (!file.endsWith('integrity.json')) assert.ok(integrity[file.slice('dist/cdn/'.length)], `${file} has no SRI hash`);
});

test('the entries import in plain Node from the unpacked package', () => {
  const entries = Object.keys(pkg.exports).filter((key) => key === '.' || key.endsWith('.js') || key.startsWith('./server'));
  const specifiers = entries.map((key) => (key === '.' ? 'finframe' : `finframe${key.slice(1)}`));
  const script = `
    const out = {};
    for (const specifier of ${JSON.stringify(specifiers)}) out[specifier] = Object.keys(await import(specifier)).length;
    console.log(JSON.stringify(out));
  `;
  const counts = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer }));
  for (const specifier of specifiers) assert.ok(counts[specifier] >= 0, specifier);
  assert.ok(counts['finframe/server'] > 5, 'finframe/server exports too little');
  // Resolved from the unpacked copy, not from the repository through a workspace link.
  const where = run(process.execPath, ['--input-type=module', '-e', 'console.log(import.meta.resolve("finframe/server"))'], { cwd: consumer }).trim();
  assert.ok(fileURLToPath(where).startsWith(installed), where);
});

const CONSUMER_TS = `
import { FlinksConnectElement, type ProviderOutcomeEvent } from 'finframe';
import { memoryStore } from 'finframe/server';
import { FlinksConnect } from 'finframe/react';
import type {} from 'finframe/jsx-react';
import { createElement } from 'react';

const el = document.createElement('flinks-connect');
const same: FlinksConnectElement = el;
el.authorizeToken = 'token';
// @ts-expect-error a token is a string
el.authorizeToken = 42;
el.addEventListener('provider-outcome', (event: ProviderOutcomeEvent) => event.detail.outcome);
export const store = memoryStore();
export const node = createElement(FlinksConnect, { authorizeToken: 'token', onProviderOutcome: (event) => event.detail.outcome });
export const jsx = createElement('flinks-connect', { lang: 'fr' });
export { same };
`;

for (const resolution of ['bundler', 'node16']) {
  test(`the types resolve from the unpacked package (moduleResolution ${resolution}, strict)`, () => {
    const dir = join(consumer, `ts-${resolution}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'use.ts'), CONSUMER_TS);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          module: resolution === 'bundler' ? 'ESNext' : 'Node16',
          moduleResolution: resolution === 'bundler' ? 'Bundler' : 'Node16',
          types: [],
          skipLibCheck: false,
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', cwd: dir });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}
