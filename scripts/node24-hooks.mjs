// Preloaded (`--import`, through NODE_OPTIONS so child processes get it too) when scripts/test.mjs
// runs the Node tests on Node 24: `better-sqlite3` then resolves to the copy compiled for Node 24
// in .cache/node24/addons/ (see scripts/node24.mjs) instead of node_modules/'s Node 20 build,
// for `import` and `require` alike. On any other Node it does nothing (`registerHooks` is read off
// the namespace, not imported by name: Node 20 has no such export and would refuse to load this).
import * as nodeModule from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ADDONS = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '.cache', 'node24', 'addons');

const { registerHooks } = nodeModule;
if (Number(process.versions.node.split('.')[0]) === 24 && typeof registerHooks === 'function') {
  // Resolved as if imported from a file in .cache/node24/addons/: its node_modules/ comes first.
  const parentURL = pathToFileURL(join(ADDONS, 'resolve-from-here.js')).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === 'better-sqlite3' || specifier.startsWith('better-sqlite3/')) return nextResolve(specifier, { ...context, parentURL });
      return nextResolve(specifier, context);
    },
  });
}
