import { puppeteerCore as puppeteer } from '@web/test-runner-chrome';
import { chromiumArgs, findChromium } from './scripts/browsers.mjs';
import { createDemoServer } from './demo/server.mjs';
const server = createDemoServer({ port: 0, fakePort: 0, log: () => {} });
const config = await server.listen();
const browser = await puppeteer.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
const page = await browser.newPage();
const bottom = (sel) => page.evaluate((s) => Math.ceil(document.querySelector(s).getBoundingClientRect().bottom + scrollY), sel);
for (const width of [320, 360, 400, 512]) {
  await page.setViewport({ width, height: 500 });
  const out = {};
  for (const lang of ['en', 'fr']) for (const flow of ['purchase', 'apply']) {
    await page.goto(`${config.fakeOrigin}/fake/flexiti/index.html#/widget/c/t?lang=${lang}&flow=${flow}`);
    out[`fx-${lang}-${flow}`] = await bottom('#continue');
  }
  for (const lang of ['en', 'fr']) {
    await page.goto(`${config.fakeOrigin}/fake/flinks/?demo=true&closeEnable=true&consentEnable=true&language=${lang}`);
    for (const screen of ['consent', 'institution', 'credential', 'mfa', 'accounts']) {
      await page.evaluate((sc) => { for (const s of document.querySelectorAll('main>section')) s.hidden = s.id !== `screen-${sc}`; }, screen);
      out[`fl-${lang}-${screen}`] = await page.evaluate(() => Math.ceil(Math.max(...[...document.querySelectorAll('main > section:not([hidden]) button')].map((b) => b.getBoundingClientRect().bottom + scrollY), 0)));
    }
  }
  await page.goto(`${config.fakeOrigin}/fake/benji/index.html?connect_token=x`);
  out.benji = await bottom('button[data-run=legacy]');
  console.log(width, JSON.stringify(out));
}
await browser.close(); await server.close();
