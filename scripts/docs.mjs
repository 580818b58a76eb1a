// Regenerates custom-elements.json (cem analyze) and the README's API section from it.
// `node scripts/docs.mjs --check` regenerates into .tmp/ and fails if either committed file differs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const outdir = check ? '.tmp/cem-check' : '.';
execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--outdir', outdir], {
  stdio: 'ignore',
});
const manifestText = readFileSync(`${outdir}/custom-elements.json`, 'utf8');
const manifest = JSON.parse(manifestText);

const cell = (text = '') => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (head, rows) =>
  rows.length ? [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') : '';

function apiSection() {
  const out = [];
  for (const mod of manifest.modules) {
    for (const decl of mod.declarations ?? []) {
      if (!decl.tagName) continue;
      out.push(`### \`<${decl.tagName}>\``, '', decl.summary ?? decl.description ?? '', '');
      out.push('#### Attributes', '', table(['attribute', 'type', 'description'], (decl.attributes ?? []).map((a) => [`\`${a.name}\``, a.type?.text ?? '', a.description ?? ''])), '');
      const members = (decl.members ?? []).filter((m) => !m.privacy && !m.static);
      const props = members.filter((m) => m.kind === 'field');
      const methods = members.filter((m) => m.kind === 'method');
      out.push('#### Properties', '', table(['property', 'type', 'description'], props.map((p) => [`\`${p.name}\`${p.readonly ? ' (read-only)' : ''}`, p.type?.text ?? '', p.description ?? ''])), '');
      out.push('#### Methods', '', table(['method', 'description'], methods.map((m) => [`\`${m.name}()\``, m.description ?? ''])), '');
      out.push('#### Events', '', table(['event', 'class', 'description'], (decl.events ?? []).map((e) => [`\`${e.name}\``, e.type?.text ?? '', e.description ?? ''])), '');
      out.push('#### Slots', '', table(['slot', 'description'], (decl.slots ?? []).map((s) => [`\`${s.name}\``, s.description ?? ''])), '');
      out.push('#### CSS parts', '', table(['part', 'description'], (decl.cssParts ?? []).map((p) => [`\`${p.name}\``, p.description ?? ''])), '');
      out.push('#### CSS custom properties', '', table(['property', 'default', 'description'], (decl.cssProperties ?? []).map((p) => [`\`${p.name}\``, p.default ?? '', p.description ?? ''])), '');
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

const START = '<!-- api:start (generated from custom-elements.json by `npm run docs`) -->';
const END = '<!-- api:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < 0) throw new Error('README.md lacks the api:start / api:end markers');
const next = `${readme.slice(0, from)}${START}\n\n${apiSection()}\n\n${readme.slice(to)}`;

if (check) {
  const stale = [];
  if (manifestText !== readFileSync('custom-elements.json', 'utf8')) stale.push('custom-elements.json');
  if (next !== readme) stale.push("README.md's API section");
  if (stale.length) {
    console.error(`Out of date: ${stale.join(' and ')}. Run \`npm run docs\` and commit the result.`);
    process.exit(1);
  }
  console.log('custom-elements.json and the README API section are up to date.');
} else {
  writeFileSync('README.md', next);
  console.log('Wrote custom-elements.json and the README API section.');
}
