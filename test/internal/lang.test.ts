import { expect, fixture, html } from '@open-wc/testing';
import { resolveLang } from '../../src/internal/lang.js';

describe('resolveLang', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('takes the element\'s own lang first, by its primary subtag', async () => {
    const el = await fixture(html`<div lang="en"><span lang="fr-CA"></span></div>`);
    expect(resolveLang(el.querySelector('span')!, ['en', 'fr'], 'en')).to.equal('fr');
  });

  it('takes the closest [lang] ancestor, across shadow roots', async () => {
    const host = await fixture(html`<section lang="fr"><div></div></section>`);
    const inner = document.createElement('p');
    host.querySelector('div')!.attachShadow({ mode: 'open' }).append(inner);
    expect(resolveLang(inner, ['en', 'fr'], 'en')).to.equal('fr');
  });

  it('falls back to <html lang>, then to the fallback', async () => {
    const el = await fixture(html`<p></p>`);
    document.documentElement.lang = 'fr';
    expect(resolveLang(el, ['en', 'fr'], 'en')).to.equal('fr');
    document.documentElement.lang = 'de';
    expect(resolveLang(el, ['en', 'fr'], 'en')).to.equal('en');
  });
});
