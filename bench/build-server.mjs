// Builds src/server/* (what dist/server holds) into bench/.tmp-<tag>-<pid>/ for the benchmarks'
// child processes, so their figures are for the current source whatever dist/ holds. A module of
// its own: bench/server.mjs and bench/stores.mjs both use it, and server.mjs loads stores.mjs while
// its own top-level await is running (an import of server.mjs from there would never settle).

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');

/** Builds the server entries; returns the directory (remove it when done). */
export async function buildServerModules(tag = 'server') {
  const { rollup } = await import('rollup');
  const { default: esbuild } = await import('rollup-plugin-esbuild');
  const { serverEntries } = await import('../rollup.config.mjs');
  const dir = join(HERE, `.tmp-${tag}-${process.pid}`);
  const build = await rollup({
    input: Object.fromEntries(Object.entries(serverEntries).map(([name, file]) => [name, join(ROOT, file)])),
    external: (id) => id.startsWith('node:') || /^(zod|jose|better-sqlite3|pg)(\/|$)/.test(id),
    plugins: [esbuild({ target: 'es2022', tsconfig: join(ROOT, 'tsconfig.json') })],
  });
  try {
    await build.write({ dir, format: 'es', preserveModules: true, preserveModulesRoot: join(ROOT, 'src') });
  } finally {
    await build.close();
  }
  return dir;
}
