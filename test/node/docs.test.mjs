// The docs hold together and stay inside the repository: every relative link in README.md,
// docs/** and demo/README.md reaches a file that exists (and its #anchor a heading of that file,
// slugged as GitHub does); every element has a page in docs/elements/ that the README links; and
// no tracked file points at provider notes kept outside the repository. The checkers are tried on
// broken input first, so a checker that finds nothing cannot pass unnoticed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));

// ---- Markdown, as GitHub reads it --------------------------------------------------------------

/** The text with fenced code blocks blanked out (line count kept, so line numbers still match). */
function withoutFences(markdown) {
  let fence = null;
  return markdown
    .split('\n')
    .map((line) => {
      const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (open && open[1][0] === fence[0] && open[1].length >= fence.length && !/\S/.test(line.slice(line.indexOf(open[1]) + open[1].length))) fence = null;
        return '';
      }
      if (open) {
        fence = open[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** The text without inline code spans either (a link written inside backticks is not a link); line breaks kept. */
const withoutCode = (markdown) => withoutFences(markdown).replace(/(`+)[^`]*?\1/g, (span) => span.replace(/[^\n]/g, ''));

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/`/g, '')
    .replace(/\*+/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (`-1`, `-2` for repeats) and explicit HTML ids. */
export function anchorsOf(markdown) {
  const anchors = new Set();
  const seen = new Map();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  }
  for (const [, id] of withoutCode(markdown).matchAll(/<a\s[^>]*(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(id);
  return anchors;
}

/** Every link target in a Markdown file, with its line: inline links and images, reference definitions, HTML href/src. */
export function linksOf(markdown) {
  const links = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((line, index) => {
      const at = index + 1;
      for (const [, target] of line.matchAll(/!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g)) links.push({ target, line: at });
      const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
      if (definition) links.push({ target: definition[1], line: at });
      for (const [, target] of line.matchAll(/\s(?:href|src)\s*=\s*["']([^"']*)["']/gi)) links.push({ target, line: at });
    });
  return links;
}

const isExternal = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * What is wrong with the relative links of one Markdown file (`file`, relative to `base`): a target
 * that does not exist, leaves the repository, or names an anchor its file does not have.
 * `fs` is `{exists(path), isFile(path), read(path)}` on absolute paths, so the checker can be tried on made-up files.
 */
export function brokenLinks(file, markdown, fs, base = root) {
  const problems = [];
  const here = resolve(base, file);
  for (const { target, line } of linksOf(markdown)) {
    if (!target || isExternal(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart ? resolve(dirname(here), pathPart.split('?')[0]) : here;
    const where = `${file}:${line}: ${target}`;
    const inside = relative(base, path);
    if (inside.startsWith('..') || resolve(base, inside) !== path) problems.push(`${where} — leaves the repository`);
    else if (!fs.exists(path)) problems.push(`${where} — no such file`);
    else if (anchor !== undefined && anchor !== '' && path.endsWith('.md') && fs.isFile(path) && !anchorsOf(fs.read(path)).has(anchor)) {
      problems.push(`${where} — ${relative(base, path)} has no heading with the anchor #${anchor}`);
    }
  }
  return problems;
}

const diskFs = {
  exists: (path) => existsSync(path),
  isFile: (path) => statSync(path).isFile(),
  read: (path) => readFileSync(path, 'utf8'),
};

/** Markdown files under `dir` (relative to the root). */
function markdownUnder(dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...markdownUnder(path));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

const docFiles = () => ['README.md', 'demo/README.md', ...markdownUnder('docs')];

// ---- References to notes outside the repository -------------------------------------------------

// Built from pieces so that this file does not match itself.
const OUTSIDE = [
  new RegExp(['PROVIDERS', 'md'].join('\\.')),
  new RegExp(['\\bseeds', '/'].join('')),
  new RegExp(['\\bseed', '\\s+0\\d\\d\\b'].join(''), 'i'),
  new RegExp(['\\bthe seed', "['’]s\\b"].join(''), 'i'),
];

/** `[line, text]` of each line of `text` that refers to the outside notes. */
export function outsideReferences(text) {
  return text
    .split('\n')
    .map((line, index) => [index + 1, line])
    .filter(([, line]) => OUTSIDE.some((pattern) => pattern.test(line)));
}

/** The repository's files as git sees them (tracked, or new and not ignored), or, outside a git checkout, every file but dependencies and build output. */
function trackedFiles() {
  try {
    return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean);
  } catch {
    const skip = new Set(['node_modules', '.git', 'dist', '.tmp', '.data']);
    const walk = (dir) =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        if (skip.has(entry.name) || entry.name.startsWith('.tmp')) return [];
        const path = dir ? `${dir}/${entry.name}` : entry.name;
        return entry.isDirectory() ? walk(path) : [path];
      });
    return walk('');
  }
}

// ---- The checkers, on broken input ------------------------------------------------------------

describe('the docs checkers find what is wrong', () => {
  test('GitHub slugs: code, punctuation and case', () => {
    assert.equal(slug('`<flinks-connect>`'), 'flinks-connect');
    assert.equal(slug('FlexPay: signed payment-status callbacks'), 'flexpay-signed-payment-status-callbacks');
    assert.equal(slug("What finAPI's loader says, and what the page gets"), 'what-finapis-loader-says-and-what-the-page-gets');
    assert.equal(slug('`FLOW_SUCCESS`'), 'flow_success');
    assert.deepEqual([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n<a id="here"></a>')], ['a', 'a-1', 'here']);
  });

  test('a missing file, a missing anchor and a link out of the repository are reported; code is not a link', () => {
    const base = resolve('/repo');
    const markdown = [
      '[ok](docs/a.md#sub-heading) [ok too](docs/a.md) [dir](docs/) [web](https://example.com/x.md#y) [self](#intro)',
      '[gone](docs/missing.md)',
      '[bad anchor](docs/a.md#no-such-heading)',
      '[outside](../elsewhere/notes.md)',
      '[bad self](#nowhere)',
      '`[in code](ignored.md)`',
      '```',
      '[fenced](ignored-too.md)',
      '```',
      '[ref]: docs/also-missing.md',
      '<img src="docs/no.png">',
      '# Intro',
    ].join('\n');
    // Made-up files: `null` is a directory.
    const files = new Map([
      [resolve(base, 'README.md'), markdown],
      [resolve(base, 'docs'), null],
      [resolve(base, 'docs/a.md'), '# Title\n\n## Sub heading\n'],
    ]);
    const fs = { exists: (path) => files.has(path), isFile: (path) => files.get(path) !== null, read: (path) => files.get(path) };
    assert.deepEqual(
      brokenLinks('README.md', markdown, fs, base).map((problem) => problem.replace(/ — .*/, '')),
      [
        'README.md:2: docs/missing.md',
        'README.md:3: docs/a.md#no-such-heading',
        'README.md:4: ../elsewhere/notes.md',
        'README.md:5: #nowhere',
        'README.md:10: docs/also-missing.md',
        'README.md:11: docs/no.png',
      ],
    );
  });

  test('a reference to the outside notes is found, in any of its spellings', () => {
    const notes = ['PROVIDERS', 'md'].join('.');
    const lines = [`see ${notes} §2`, `the ${'seed'} 003 says`, `from ${'seeds'}/000.txt`, `the ${'seed'}’s table`, 'a random seed: 42', 'seedless'];
    assert.deepEqual(outsideReferences(lines.join('\n')).map(([line]) => line), [1, 2, 3, 4]);
  });
});

// ---- The repository -----------------------------------------------------------------------------

describe('the docs', () => {
  test('every relative link in README.md, docs/** and demo/README.md resolves, anchors included', () => {
    const files = docFiles();
    assert.ok(files.includes('docs/README.md') && files.length > 10, `expected the docs tree, found ${files.join(', ')}`);
    const problems = files.flatMap((file) => brokenLinks(file, readFileSync(join(root, file), 'utf8'), diskFs));
    assert.deepEqual(problems, []);
  });

  test('no tracked text file refers to provider notes outside the repository', () => {
    const files = trackedFiles();
    assert.ok(files.includes('README.md') && files.some((f) => f.startsWith('src/')), 'the file list looks wrong');
    const found = [];
    for (const file of files) {
      const path = join(root, file);
      if (!existsSync(path) || !statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      if (bytes.includes(0)) continue; // binary
      for (const [line, text] of outsideReferences(bytes.toString('utf8'))) found.push(`${file}:${line}: ${text.trim().slice(0, 120)}`);
    }
    assert.deepEqual(found, []);
  });

  test('every element has a page in docs/elements/ with generated API tables, and the README links it', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
    const tags = manifest.modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.tagName).map((d) => d.tagName));
    assert.ok(tags.length >= 5, `expected the elements in custom-elements.json, found ${tags.join(', ')}`);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const linked = new Set(linksOf(readme).map(({ target }) => resolve(root, target.split('#')[0])));
    for (const tag of tags) {
      const page = join(root, 'docs', 'elements', `${tag}.md`);
      assert.ok(existsSync(page), `docs/elements/${tag}.md is missing`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, /<!-- api:start[^>]*-->\n\n### Attributes\n[\s\S]*<!-- api:end -->/, `docs/elements/${tag}.md has no generated API tables`);
      assert.ok(linked.has(page), `README.md does not link docs/elements/${tag}.md`);
    }
  });
});
