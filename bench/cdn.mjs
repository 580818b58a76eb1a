// The CDN loader's figures for `npm run bench` (run alone: `node bench/cdn.mjs`).
//
//   Sizes   dist/cdn/ built in memory with rollup.config.mjs's cdnConfig(): every file raw and
//           min+gzip, and what a page with one tag downloads (loader + that tag's chunk + the
//           shared chunk, each gzipped on its own, as a browser fetches them).
//   Time    from a tag appearing to its frame's `src` being set, with the loader against the
//           one-file bundle (finframe.js), in the same headless Chromium run, each on a fresh
//           page load: (A) the tag in the page's HTML, timed from the moment the parser has it;
//           (B) the tag appended after the page loaded (the loader fetches its chunks only then).
//           Each at 0 ms and at a simulated 20 ms per script response (one network round trip),
//           since the loader's second round trip is what a real network adds.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { puppeteerCore } from '@web/test-runner-chrome';
import { rollup } from 'rollup';
import { CDN_TAGS, bundlePlugins, cdnConfig, onwarn } from '../rollup.config.mjs';
import { chromiumArgs, findChromium } from '../scripts/browsers.mjs';

export const CDN_TARGET = { loaderGzip: 2_000, loaderRaw: 10_000, pageGzip: 14_000, ratio: 1.2 };
const RUNS = 25;
const DELAYS = [0, 20];

const gz = (code) => gzipSync(Buffer.from(code), { level: 9 }).length;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/** dist/cdn/ in memory: `{ files: {name: code}, table: {tag: [files]} }`. */
export async function buildCdn() {
  const config = cdnConfig({ integrity: false });
  const build = await rollup(config);
  try {
    const { output } = await build.generate(config.output);
    const files = Object.fromEntries(output.map((file) => [file.fileName, file.code]));
    const table = {};
    for (const file of output) if (file.isEntry && file.name !== 'loader') table[file.name] = [file.fileName, ...file.imports];
    const bundleBuild = await rollup({ input: 'src/define.ts', plugins: bundlePlugins(), onwarn });
    files['finframe.js'] = (await bundleBuild.generate({ format: 'es' })).output[0].code;
    await bundleBuild.close();
    return { files, table };
  } finally {
    await build.close();
  }
}

export function cdnSizes({ files, table }) {
  const size = Object.fromEntries(Object.entries(files).map(([name, code]) => [name, { raw: Buffer.byteLength(code), gz: gz(code) }]));
  const pages = Object.fromEntries(CDN_TAGS.map((tag) => [tag, ['loader.js', ...table[tag]].reduce((sum, file) => sum + size[file].gz, 0)]));
  return { size, pages, table };
}

export function printCdnSizes({ size, pages, table }, { section, table: printTable, verdict }) {
  section('1b. CDN folder dist/cdn/ (the loader and its chunks; each file gzipped on its own)');
  printTable(
    ['file', 'raw bytes', 'min+gzip bytes'],
    Object.entries(size)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => [name, fmt(s.raw), fmt(s.gz)]),
    ['l', 'r', 'r'],
  );
  console.log('');
  const loader = size['loader.js'];
  console.log(`  loader.js ≤ ${fmt(CDN_TARGET.loaderGzip)} B min+gzip: ${verdict(loader.gz <= CDN_TARGET.loaderGzip)} (${fmt(loader.gz)} B); ≤ ${fmt(CDN_TARGET.loaderRaw)} B raw: ${verdict(loader.raw <= CDN_TARGET.loaderRaw)} (${fmt(loader.raw)} B)`);
  console.log('  a page with one tag downloads (loader + chunk + shared):');
  for (const tag of CDN_TAGS) {
    const target = tag === 'flinks-connect' ? `  target ≤ ${fmt(CDN_TARGET.pageGzip)} B: ${verdict(pages[tag] <= CDN_TARGET.pageGzip)}` : '';
    console.log(`    <${tag}>: ${fmt(pages[tag])} B  (${['loader.js', ...table[tag]].join(' + ')})${target}`);
  }
}

/** The page: the loopback opt-in, a recorder of the first iframe `src` set, then the script under test. */
const page = (script, frameUrl, present) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script>
  globalThis[Symbol.for('finframe.allowLoopback')] = true;
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (name === 'src' && this.localName === 'iframe' && window.t1 === undefined) window.t1 = performance.now();
    return setAttribute.call(this, name, value);
  };
</script>
<script type="module" src="/${script}"></script>
</head><body>${present ? `<flinks-connect src="${frameUrl}"></flinks-connect><script>window.t0 = performance.now();</script>` : ''}</body></html>`;

async function withServer(files, delayMs, run) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const name = url.pathname.slice(1);
    const headers = { 'Cache-Control': 'no-store' };
    if (name === 'page.html') {
      const frame = `http://127.0.0.1:${server.address().port}/frame.html`;
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page(url.searchParams.get('script'), frame, url.searchParams.has('present')));
    } else if (name === 'frame.html') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>frame</title>frame');
    } else if (files[name]) {
      setTimeout(() => res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(files[name]), delayMs);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await run(`http://localhost:${server.address().port}`);
  } finally {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Medians in ms per (delay, scenario, script), each from RUNS fresh page loads, loader and bundle alternating. */
export async function measureCdnTiming({ files }) {
  const profile = await mkdtemp(join(tmpdir(), 'finframe-bench-cdn-'));
  const browser = await puppeteerCore.launch({ executablePath: findChromium(), headless: true, userDataDir: profile, args: chromiumArgs, timeout: 30_000 });
  const results = [];
  try {
    const tab = await browser.newPage();
    for (const delay of DELAYS) {
      await withServer(files, delay, async (origin) => {
        for (const scenario of ['present', 'added']) {
          const samples = { 'loader.js': [], 'finframe.js': [] };
          for (let i = 0; i < RUNS + 2; i++) {
            for (const script of i % 2 ? ['loader.js', 'finframe.js'] : ['finframe.js', 'loader.js']) {
              await tab.goto(`${origin}/page.html?script=${script}${scenario === 'present' ? '&present' : ''}`, { waitUntil: 'load' });
              if (scenario === 'added') {
                await tab.evaluate((frame) => {
                  const el = document.createElement('flinks-connect');
                  el.setAttribute('src', frame);
                  window.t0 = performance.now();
                  document.body.append(el);
                }, origin.replace('localhost', '127.0.0.1') + '/frame.html');
              }
              await tab.waitForFunction(() => window.t1 !== undefined, { timeout: 10_000 });
              const ms = await tab.evaluate(() => window.t1 - window.t0);
              if (i >= 2) samples[script].push(ms); // two warm-up rounds
            }
          }
          results.push({ delay, scenario, loader: median(samples['loader.js']), bundle: median(samples['finframe.js']) });
        }
      });
    }
    return { version: await browser.version(), results };
  } finally {
    await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  }
}

export function printCdnTiming({ version, results }, { section, table: printTable, verdict }) {
  section('3b. Loader against bundle: a tag appearing → its frame\'s src (headless Chromium, fresh page loads)');
  console.log(`  ${version}; median of ${RUNS} page loads each, loader and finframe.js alternating; no HTTP cache.`);
  console.log('  (A) tag in the HTML: from the parser reaching it; (B) tag appended after load: from append.');
  console.log('  delay = added before every script response (the page itself is not delayed).');
  printTable(
    ['delay', 'scenario', 'loader.js', 'finframe.js', 'ratio', `≤ ${CDN_TARGET.ratio}×`],
    results.map((r) => [`${r.delay} ms`, r.scenario === 'present' ? '(A) in the HTML' : '(B) added later', `${r.loader.toFixed(1)} ms`, `${r.bundle.toFixed(1)} ms`, `${(r.loader / r.bundle).toFixed(2)}×`, verdict(r.loader / r.bundle <= CDN_TARGET.ratio)]),
    ['l', 'l', 'r', 'r', 'r', 'l'],
  );
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const helpers = {
    section: (title) => console.log(`\n=== ${title}`),
    verdict: (ok) => (ok ? 'MET' : 'NOT MET'),
    table(headers, rows) {
      const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
      for (const r of [headers, ...rows]) console.log(`  ${r.map((c, i) => String(c).padEnd(widths[i])).join('  ')}`);
    },
  };
  const built = await buildCdn();
  printCdnSizes(cdnSizes(built), helpers);
  printCdnTiming(await measureCdnTiming(built), helpers);
}
