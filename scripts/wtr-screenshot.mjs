// A web-test-runner command that saves a PNG of one element of the test page, for people to look
// at (test/base/outcome.test.ts renders every outcome of every element with it). Chromium only:
// Firefox and WebKit answer `{ saved: null }` and the test goes on without a picture.
//
//   import { executeServerCommand } from '@web/test-runner-commands';
//   await executeServerCommand('finframe-screenshot', { selector: '#shot', name: 'flinks-connect-error-en-light' });
//   await executeServerCommand('finframe-screenshot', { probe: true }); // → { capable: true } in Chromium
//
// Files go to .tmp/outcome-shots/<name>.png (git-ignored). `name` is restricted to [a-z0-9-] so a
// test cannot write outside that folder.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function screenshotPlugin({ dir = '.tmp/outcome-shots' } = {}) {
  const out = resolve(dir);
  return {
    name: 'finframe-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'finframe-screenshot') return undefined;
      // Puppeteer's Chromium: pictures, and (through the runner's own emulate-media command) colour schemes.
      const capable = session.browser.type === 'puppeteer' && /^Chrom/.test(session.browser.name);
      if (payload?.probe) return { capable };
      const { selector, name } = payload ?? {};
      if (typeof selector !== 'string' || typeof name !== 'string' || !/^[a-z0-9-]{1,120}$/.test(name)) {
        throw new Error('finframe-screenshot takes { selector, name } with name in [a-z0-9-]');
      }
      if (!capable) return { saved: null };
      const page = session.browser.getPage(session.id);
      const element = await page.$(selector);
      if (!element) throw new Error(`finframe-screenshot: nothing matches ${selector}`);
      mkdirSync(out, { recursive: true });
      const path = join(out, `${name}.png`);
      try {
        await element.screenshot({ path });
      } finally {
        await element.dispose();
      }
      return { saved: path };
    },
  };
}
