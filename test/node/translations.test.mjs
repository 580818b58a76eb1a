// The built-in text of every element: every language has every sentence the English has, none is
// empty, and none is an untranslated copy of the English (names aside). Reads the built package.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benjiText } from '../../dist/translations/benji.js';
import { finapiText } from '../../dist/translations/finapi.js';
import { flexitiText } from '../../dist/translations/flexiti.js';
import { flexpayText } from '../../dist/translations/flexpay.js';
import { flinksText } from '../../dist/translations/flinks.js';

const TEXTS = { 'flinks-connect': flinksText, 'flexiti-widget': flexitiText, 'benji-connect': benjiText, 'finapi-web-form': finapiText, 'flexpay-status': flexpayText };
/** Strings that are the same in every language: names. */
const NAMES = new Set(['Benji Connect', 'Flexiti']);

/** `[path, string]` for every sentence; a sentence with a link is one string (its text parts joined). */
function sentences(value, path = '') {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return [[path, value.map((p) => (typeof p === 'string' ? p : p.text)).join('')]];
  return Object.entries(value).flatMap(([key, v]) => sentences(v, path ? `${path}.${key}` : key));
}

for (const [tag, byLang] of Object.entries(TEXTS)) {
  test(`<${tag}>'s built-in text is complete and translated in ${Object.keys(byLang).join(', ')}`, () => {
    const english = new Map(sentences(byLang.en));
    assert.ok(english.size > 0);
    for (const [lang, text] of Object.entries(byLang)) {
      const mine = new Map(sentences(text));
      assert.deepEqual([...mine.keys()], [...english.keys()], `${lang}: the same sentences as English, in the same order`);
      for (const [path, sentence] of mine) {
        assert.ok(sentence.trim().length > 0, `${lang} ${path} is empty`);
        if (lang !== 'en' && !NAMES.has(sentence)) assert.notEqual(sentence, english.get(path), `${lang} ${path} is English`);
      }
    }
  });
}

test('the activation link of <flexiti-widget> points at Flexiti\'s customer portal in every language', () => {
  for (const text of Object.values(flexitiText)) {
    const links = text.outcomes['activation-required'].filter((p) => typeof p !== 'string');
    assert.deepEqual(links.map((l) => l.href), ['https://my.flexiti.com/index']);
  }
});
