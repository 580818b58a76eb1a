import { expect } from '@open-wc/testing';
import { checkFrameUrl, isLoopbackHost } from '../../src/internal/url.js';

const providerHost = (host: string) => host === 'widget.example.com';

describe('checkFrameUrl', () => {
  it('accepts https on a provider host', () => {
    const result = checkFrameUrl('https://widget.example.com/path?x=1', providerHost);
    expect(result.ok).to.equal(true);
    expect(result.ok && result.url.origin).to.equal('https://widget.example.com');
  });

  it('accepts http and https on every spelling of a loopback host', () => {
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
