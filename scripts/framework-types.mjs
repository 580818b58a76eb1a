// Generates the framework typings in types/ from custom-elements.json, so they never drift from
// the elements: types/elements.d.ts (per tag: settable properties, attributes, events) and, on top
// of it, types/jsx-react.d.ts (React 19 JSX), types/vue.d.ts (Vue 3 templates) and
// types/svelte.d.ts (Svelte 5 templates). Angular needs no file: the tags are in the DOM's own
// HTMLElementTagNameMap (src/components/*/*.ts), see docs/frameworks.md.
//
// Property types are not copied from the manifest's text (it names internal types such as
// `FrameStatus` and the base class's type parameter `O`): they are read from the element class,
// `FlinksConnectElement['authorizeToken']`, so the manifest gives the names and the class the types.
// Attribute types are copied only when they are plain (`string`, `number`, `boolean`, string
// literals); anything else becomes `string`, which is what an attribute is.
//
// `node scripts/framework-types.mjs --check` writes nothing and fails when a committed file differs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const check = process.argv.includes('--check');
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const index = readFileSync('src/index.ts', 'utf8');
const problems = [];

const exported = (name) => new RegExp(`export (?:type )?\\{[^}]*\\b${name}\\b[^}]*\\}`).test(index);
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const doc = (text, indent) => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s+/g, ' ').trim()} */\n` : '');
const plainType = (text) => {
  if (!text) return 'string';
  const parts = text.split('|').map((p) => p.trim());
  return parts.every((p) => /^(string|number|boolean)$/.test(p) || /^'[^'\\]*'$/.test(p)) ? parts.join(' | ') : 'string';
};

const elements = manifest.modules
  .flatMap((mod) => mod.declarations ?? [])
  .filter((decl) => decl.customElement && decl.tagName)
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

const classes = new Set();
const eventClasses = new Set();
const blocks = { props: [], attrs: [], events: [] };

for (const decl of elements) {
  if (!exported(decl.name)) problems.push(`${decl.name} (<${decl.tagName}>) is not exported from src/index.ts`);
  classes.add(decl.name);
  const fields = (decl.members ?? []).filter((m) => m.kind === 'field' && !m.static && !m.privacy && !m.name.startsWith('#'));
  // The element writes these itself (status, outcome, form, validity…): readable, never set.
  const readonlyNames = new Set(fields.filter((f) => f.readonly).map((f) => f.name));
  const settable = fields.filter((f) => !f.readonly);
  const settableNames = new Set(settable.map((f) => f.name));

  const props = settable.map((f) => `${doc(f.description, '    ')}    ${f.name}?: ${decl.name}['${f.name}'];`);
  blocks.props.push(`  '${decl.tagName}': {\n${props.join('\n')}\n  };`);

  const attrs = (decl.attributes ?? [])
    .filter((a) => !readonlyNames.has(camel(a.fieldName ?? a.name)))
    // `src` is both: the property carries the type; `session-url` is only an attribute here.
    .filter((a) => !settableNames.has(a.name))
    .map((a) => `${doc(a.description, '    ')}    '${a.name}'?: ${plainType(a.type?.text)};`);
  blocks.attrs.push(`  '${decl.tagName}': {\n${attrs.join('\n')}\n  };`);

  const events = (decl.events ?? []).map((e) => {
    const cls = e.type?.text;
    if (!cls || !/^[A-Z]\w*$/.test(cls) || !exported(cls)) {
      problems.push(`<${decl.tagName}>'s ${e.name} event names no exported event class (${cls ?? 'no type'}): write @fires {ProviderXEvent} ${e.name}`);
      return `    '${e.name}': CustomEvent;`;
    }
    eventClasses.add(cls);
    return `${doc(e.description, '    ')}    '${e.name}': ${cls};`;
  });
  blocks.events.push(`  '${decl.tagName}': {\n${events.join('\n')}\n  };`);
}

const HEADER = '// Generated from custom-elements.json by `node scripts/framework-types.mjs` (`npm run docs`). Do not edit.\n';
const imports = [...classes, ...eventClasses].sort();

const files = {
  'types/elements.d.ts': `${HEADER}// What each finframe tag takes and fires, for the framework typings beside this file.
import type { ${imports.join(', ')} } from '../dist/index.js';

/** The element class of each tag. */
export interface FinframeElements {
${elements.map((d) => `  '${d.tagName}': ${d.name};`).join('\n')}
}

/** The properties a template may set (camelCase; tokens belong here, never in attributes). */
export interface FinframeProperties {
${blocks.props.join('\n')}
}

/** The attributes that have no property of the same name (kebab-case, as written in HTML). */
export interface FinframeAttributes {
${blocks.attrs.join('\n')}
}

/** The events each tag fires, by name. */
export interface FinframeEvents {
${blocks.events.join('\n')}
}

export type FinframeTag = keyof FinframeElements;
`,

  'types/jsx-react.d.ts': `${HEADER}// React 19 JSX for finframe's tags: properties (React 19 sets them on the element), attributes,
// and \`onprovider-outcome\`-style listeners (React 19 adds \`on\` + event name as a listener).
// Include with \`import type {} from 'finframe/jsx-react';\` once in your app. React 18 sets
// attributes only and ignores these listeners: use finframe/react there.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { FinframeAttributes, FinframeElements, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

type Listeners<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string as \`on\${E}\`]?: (event: FinframeEvents[T][E]) => void;
};
type Own<T extends FinframeTag> = FinframeProperties[T] & FinframeAttributes[T] & Listeners<T>;
type Props<T extends FinframeTag> = Omit<DetailedHTMLProps<HTMLAttributes<FinframeElements[T]>, FinframeElements[T]>, keyof Own<T>> & Own<T>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${elements.map((d) => `      '${d.tagName}': Props<'${d.tagName}'>;`).join('\n')}
    }
  }
}
`,

  'types/vue.d.ts': `${HEADER}// Vue 3 template types for finframe's tags (vue-tsc, Volar): properties, attributes and the
// \`@provider-outcome\`-style events with their event classes. Include with
// \`import type {} from 'finframe/vue';\` once in your app (e.g. in env.d.ts). Vue itself must still be
// told the tags are custom elements (\`compilerOptions.isCustomElement\`), see docs/frameworks.md.
import type { DefineComponent } from 'vue';
import type { FinframeAttributes, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

// vue-tsc reads \`days-of-transactions="…"\` on a component as the prop \`daysOfTransactions\`.
type Camel<S extends string> = S extends \`\${infer H}-\${infer R}\` ? \`\${H}\${Capitalize<Camel<R>>}\` : S;
type Attributes<T extends FinframeTag> = Omit<{ [A in keyof FinframeAttributes[T] & string as Camel<A>]?: FinframeAttributes[T][A] }, keyof FinframeProperties[T]>;
type Emits<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string]: (event: FinframeEvents[T][E]) => void;
};
// Props type, no bindings, data, computed, methods, mixin or extends (Vue's own defaults); then the emits.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type Props<T extends FinframeTag> = DefineComponent<FinframeProperties[T] & Attributes<T>, {}, {}, {}, {}, {}, {}, Emits<T>>;

declare module 'vue' {
  interface GlobalComponents {
${elements.map((d) => `    '${d.tagName}': Props<'${d.tagName}'>;`).join('\n')}
  }
}
`,

  'types/svelte.d.ts': `${HEADER}// Svelte 5 template types for finframe's tags (svelte-check): properties (Svelte sets a prop as
// a property when the element has it), attributes, and \`onprovider-outcome\`-style handlers.
// Include with \`import type {} from 'finframe/svelte';\` once in your app (e.g. in src/app.d.ts).
import type { HTMLAttributes } from 'svelte/elements';
import type { FinframeAttributes, FinframeElements, FinframeEvents, FinframeProperties, FinframeTag } from './elements.js';

type Listeners<T extends FinframeTag> = {
  [E in keyof FinframeEvents[T] & string as \`on\${E}\`]?: (event: FinframeEvents[T][E]) => void;
};
type Own<T extends FinframeTag> = FinframeProperties[T] & FinframeAttributes[T] & Listeners<T>;
type Props<T extends FinframeTag> = Omit<HTMLAttributes<FinframeElements[T]>, keyof Own<T>> & Own<T>;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${elements.map((d) => `    '${d.tagName}': Props<'${d.tagName}'>;`).join('\n')}
  }
}
`,
};

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const stale = Object.entries(files).filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text);
if (check) {
  if (stale.length) {
    console.error(`Out of date: ${stale.map(([path]) => path).join(', ')}. Run \`npm run docs\` and commit the result.`);
    process.exit(1);
  }
  console.log(`The framework typings in types/ (${Object.keys(files).length} files, ${elements.length} elements) are up to date.`);
} else {
  mkdirSync('types', { recursive: true });
  for (const [path, text] of stale) writeFileSync(path, text);
  console.log(`Wrote ${stale.length ? stale.map(([path]) => path).join(', ') : 'nothing (up to date)'}.`);
}
