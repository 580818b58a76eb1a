// Regenerates custom-elements.json (cem analyze) and, from it, the API tables of each element's
// page, docs/elements/<tag>.md, between its api:start and api:end markers.
// `node scripts/docs.mjs --check` regenerates into .tmp/ and fails if any committed file differs,
// if an element has no page, or if a page lacks the markers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const outdir = check ? '.tmp/cem-check' : '.';
execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--outdir', outdir], {
  stdio: 'ignore',
});
const manifestText = readFileSync(`${outdir}/custom-elements.json`, 'utf8');
const manifest = JSON.parse(manifestText);

const cell = (text = '') => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** A type as code, so `Promise<void>` is not read as an HTML tag. */
const code = (text) => (text ? `\`${text}\`` : '');
const table = (head, rows) =>
  rows.length ? [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') : 'None.';

/** The API tables of one element, as the part of its page between the markers. */
function apiSection(decl) {
  const out = [];
  const members = (decl.members ?? []).filter((m) => !m.privacy && !m.static);
  const props = members.filter((m) => m.kind === 'field');
  const methods = members.filter((m) => m.kind === 'method');
  out.push('### Attributes', '', table(['attribute', 'type', 'description'], (decl.attributes ?? []).map((a) => [`\`${a.name}\``, code(a.type?.text), a.description ?? ''])), '');
  out.push('### Properties', '', table(['property', 'type', 'description'], props.map((p) => [`\`${p.name}\`${p.readonly ? ' (read-only)' : ''}`, code(p.type?.text), p.description ?? ''])), '');
  out.push('### Methods', '', table(['method', 'description'], methods.map((m) => [`\`${m.name}()\``, m.description ?? ''])), '');
  out.push('### Events', '', table(['event', 'class', 'description'], (decl.events ?? []).map((e) => [`\`${e.name}\``, code(e.type?.text), e.description ?? ''])), '');
  out.push('### Slots', '', table(['slot', 'description'], (decl.slots ?? []).map((s) => [`\`${s.name}\``, s.description ?? ''])), '');
  out.push('### CSS parts', '', table(['part', 'description'], (decl.cssParts ?? []).map((p) => [`\`${p.name}\``, p.description ?? ''])), '');
  out.push('### CSS custom states', '', table(['state', 'description'], (decl.cssStates ?? []).map((s) => [`\`:state(${s.name})\``, s.description ?? ''])), '');
  out.push('### CSS custom properties', '', table(['property', 'default', 'description'], (decl.cssProperties ?? []).map((p) => [`\`${p.name}\``, p.default ?? '', p.description ?? ''])), '');
  return out.join('\n').trim();
}

const START = '<!-- api:start (generated from custom-elements.json by `npm run docs`) -->';
const END = '<!-- api:end -->';
const elements = manifest.modules.flatMap((mod) => (mod.declarations ?? []).filter((decl) => decl.tagName));
const problems = [];
const stale = [];
const pages = [];

for (const decl of elements) {
  const path = `docs/elements/${decl.tagName}.md`;
  if (!existsSync(path)) {
    problems.push(`<${decl.tagName}> has no page: create ${path} with the ${START} and ${END} markers`);
    continue;
  }
  const page = readFileSync(path, 'utf8');
  const from = page.indexOf(START);
  const to = page.indexOf(END);
  if (from < 0 || to < from) {
    problems.push(`${path} lacks the api:start / api:end markers`);
    continue;
  }
  const next = `${page.slice(0, from)}${START}\n\n${apiSection(decl)}\n\n${page.slice(to)}`;
  if (next !== page) stale.push(path);
  pages.push({ path, next });
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
if (check) {
  if (manifestText !== readFileSync('custom-elements.json', 'utf8')) stale.unshift('custom-elements.json');
  if (stale.length) {
    console.error(`Out of date: ${stale.join(', ')}. Run \`npm run docs\` and commit the result.`);
    process.exit(1);
  }
  console.log(`custom-elements.json and the API tables of ${pages.length} element pages are up to date.`);
} else {
  for (const { path, next } of pages) writeFileSync(path, next);
  console.log(`Wrote custom-elements.json and the API tables of ${pages.map((p) => p.path).join(', ')}.`);
}
