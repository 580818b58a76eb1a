// `npm install` on a fresh clone must leave the working tree clean. npm rewrites package-lock.json
// whenever the lock's root entry (`packages[""]`) no longer says what package.json says — it once
// did, because package.json gained `peerDependencies` (better-sqlite3, optional) and the lock's
// root entry did not. These tests catch such a mismatch without running an install: change
// package.json, then let npm write the lock (`npm install`) and commit both.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (file) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json');
const lock = read('package-lock.json');
const root = lock.packages?.[''];

// The package.json fields npm copies into the lock's root entry (npm 7+, lockfileVersion 3).
const COPIED = [
  'name',
  'version',
  'license',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'engines',
  'bin',
  'os',
  'cpu',
  'funding',
  'workspaces',
];

test('package-lock.json is lockfileVersion 3 and has a root entry', () => {
  assert.equal(lock.lockfileVersion, 3);
  assert.equal(lock.name, pkg.name);
  assert.equal(lock.version, pkg.version);
  assert.ok(root, 'no packages[""] in package-lock.json');
});

for (const field of COPIED) {
  test(`the lock's root entry has package.json's ${field}`, () => {
    assert.deepEqual(root[field], pkg[field], `package-lock.json packages[""].${field} differs from package.json: run npm install and commit the lock`);
  });
}

test('every direct dependency pinned to an exact version is locked at that version', () => {
  const direct = { ...pkg.dependencies, ...pkg.devDependencies };
  for (const [name, version] of Object.entries(direct)) {
    if (!/^\d+\.\d+\.\d+$/.test(version)) continue;
    const locked = lock.packages[`node_modules/${name}`];
    assert.ok(locked, `${name} is not in package-lock.json`);
    assert.equal(locked.version, version, `${name}: package.json ${version}, lock ${locked.version}`);
  }
});
