import { expect } from '@open-wc/testing';
import { allowLoopback, checkFrameUrl, checkLinkUrl, isLoopbackHost, loopbackAllowed } from '../../src/internal/url.js';

const OPT_IN = Symbol.for('finframe.allowLoopback');

const providerHost = (host: string) => host === 'widget.example.com';

describe('checkFrameUrl', () => {
  it('accepts https on a provider host', () => {
    const result = checkFrameUrl('https://widget.example.com/path?x=1', providerHost);
    expect(result.ok).to.equal(true);
    expect(result.ok && result.url.origin).to.equal('https://widget.example.com');
  });

  it('accepts http and https on every spelling of a loopback host (the sources are the development build)', () => {
    for (const url of [
      'http://localhost:8080/',
      'https://localhost/',
      'http://127.0.0.1:1/',
      'http://127.255.255.254/',
      'http://127.1/',
      'http://[::1]:9000/',
    ]) {
      expect(checkFrameUrl(url, providerHost).ok, url).to.equal(true);
    }
  });

  it('refuses http on a provider host, other schemes, look-alike hosts and credentials', () => {
    for (const url of [
      'http://widget.example.com/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://widget.example.com/',
      'https://widget.example.com.evil.test/',
      'https://evilwidget.example.com/',
      'https://widget.example.com@evil.test/',
      'https://user:pass@widget.example.com/',
      'http://localhost.evil.test/',
      'http://128.0.0.1/',
      'http://10.0.0.1/',
      'http://[::2]/',
      'not a url',
    ]) {
      expect(checkFrameUrl(url, providerHost).ok, url).to.equal(false);
    }
  });

  it('refuses every loopback spelling when loopback is not allowed, saying how to opt in for development', () => {
    for (const url of ['http://localhost:8080/', 'https://localhost/', 'http://127.0.0.1:1/', 'http://127.1/', 'http://[::1]:9000/', 'http://LOCALHOST/']) {
      const result = checkFrameUrl(url, providerHost, undefined, { loopback: false });
      expect(result.ok, url).to.equal(false);
      expect(!result.ok && result.reason, url).to.contain('loopback').and.to.contain('allowLoopback()');
    }
    // A provider host is unaffected by the loopback policy.
    expect(checkFrameUrl('https://widget.example.com/', providerHost, undefined, { loopback: false }).ok).to.equal(true);
  });

  it('resolves a relative URL against the base, and applies the loopback policy to the result', () => {
    expect(checkFrameUrl('/frame', providerHost, 'http://localhost:1/page').ok).to.equal(true);
    expect(checkFrameUrl('/frame', providerHost, 'http://localhost:1/page', { loopback: false }).ok).to.equal(false);
  });

  it('never repeats the rejected value, which may hold a token', () => {
    const result = checkFrameUrl('https://evil.test/?authorizeToken=secret-123', providerHost);
    expect(result.ok).to.equal(false);
    expect(JSON.stringify(result)).not.to.contain('secret-123');
    const unparsable = checkFrameUrl('::secret-456', providerHost);
    expect(JSON.stringify(unparsable)).not.to.contain('secret-456');
  });
});

describe('isLoopbackHost', () => {
  it('knows localhost, 127.0.0.0/8 and [::1], and nothing else', () => {
    expect(['localhost', '127.0.0.1', '127.9.9.9', '[::1]'].map(isLoopbackHost)).to.deep.equal([true, true, true, true]);
    expect(['localhost.', '127.0.0.256', '127.0.0', '0.0.0.0', '[::]', 'example.com'].map(isLoopbackHost)).to.deep.equal([
      false, false, false, false, false, false,
    ]);
  });
});

describe('checkLinkUrl (Flinks redirect-url, terms-url)', () => {
  it('accepts an absolute https URL on any host', () => {
    const result = checkLinkUrl('https://shop.example/flinks-done?order=42');
    expect(result.ok && result.url.href).to.equal('https://shop.example/flinks-done?order=42');
  });

  it('refuses http, other schemes, relative URLs, credentials and whitespace', () => {
    for (const url of [
      'http://shop.example/flinks-done',
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://shop.example/',
      '//shop.example/done',
      '/flinks-done',
      'https://user:pass@shop.example/',
      'https://shop.example/a b',
      'https://shop.example/\tdone',
      'http://10.0.0.1/',
      '',
    ]) {
      expect(checkLinkUrl(url).ok, url).to.equal(false);
    }
  });

  it('accepts loopback (http or https) only when loopback is allowed', () => {
    for (const url of ['http://localhost:8080/done', 'https://127.0.0.1/done', 'http://[::1]/done']) {
      expect(checkLinkUrl(url).ok, url).to.equal(true);
      const refused = checkLinkUrl(url, { loopback: false });
      expect(refused.ok, url).to.equal(false);
      expect(!refused.ok && refused.reason).to.contain('allowLoopback()');
    }
  });
});

describe('allowLoopback', () => {
  afterEach(() => delete (globalThis as Record<symbol, unknown>)[OPT_IN]);

  it('sets the symbol-keyed global that every copy of finframe reads', () => {
    expect((globalThis as Record<symbol, unknown>)[OPT_IN]).to.equal(undefined);
    allowLoopback();
    expect((globalThis as Record<symbol, unknown>)[OPT_IN]).to.equal(true);
  });

  it('is always on in the development build (the sources)', () => {
    expect(loopbackAllowed()).to.equal(true);
  });
});
