// The Magento module (integrations/magento/): every PHP file and template passes `php -l`, every
// XML file `xmllint --noout`; the module's own Block classes and templates rendered by `php` over
// small stubs of Magento's objects (test/magento/stubs.php); the CSP whitelist equal to the host
// lists the elements enforce; the widget, admin and default configuration agreeing with each other;
// the scripts the module ships equal to dist/cdn/. Runs after the build (`npm test` builds first).
// The rendered pages run in the browsers in test/magento/magento.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CDN_DIR, JS_DIR, WHITELIST, cspSources, cspWhitelist, loadHosts } from '../../integrations/magento/build.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULE = join(ROOT, 'integrations/magento');
const INSTALL = "Debian's php-cli and libxml2-utils: `bash .ci/run` installs them when missing (or apt-get install -y --no-install-recommends php-cli libxml2-utils)";

function files(dir, test) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile() && test(path));
}
const tool = (name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0;

/** The leaves of an XML file as path → text ("default/finframe/flinks/instance" → "toolbox"). Enough for our own config files. */
function leaves(xml) {
  const out = new Map();
  const stack = [];
  let text = '';
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  for (const [, close, name, selfClose, chars] of body.matchAll(/<(\/?)([\w.:-]+)[^>]*?(\/?)>|([^<]+)/g)) {
    if (chars !== undefined) text += chars;
    else if (close) {
      if (text.trim()) out.set(stack.join('/'), text.trim());
      stack.pop();
      text = '';
    } else if (!selfClose) {
      stack.push(name);
      text = '';
    }
  }
  return out;
}

/** Runs the module's blocks through test/magento/render.php; returns the HTML. */
function render(spec) {
  const result = spawnSync('php', [join(ROOT, 'test/magento/render.php')], { input: JSON.stringify(spec), encoding: 'utf8' });
  assert.equal(result.status, 0, `render.php failed: ${result.stderr}`);
  return result.stdout;
}

const configXml = readFileSync(join(MODULE, 'etc/config.xml'), 'utf8');
/** The module's defaults (etc/config.xml) as the store's configuration: path → value. */
const defaults = Object.fromEntries([...leaves(configXml)].filter(([path]) => path.startsWith('config/default/finframe/')).map(([path, value]) => [path.slice('config/default/'.length), value]));
const widgetXml = readFileSync(join(MODULE, 'etc/widget.xml'), 'utf8');
/** Each widget in etc/widget.xml: its id, block class and parameters ({name, type, required}). */
const widgets = [...widgetXml.matchAll(/<widget id="([^"]+)" class="([^"]+)"[\s\S]*?<\/widget>/g)].map(([block, id, cls]) => ({
  id,
  cls,
  parameters: [...block.matchAll(/<parameter name="([^"]+)" xsi:type="([^"]+)"([^>]*)>/g)].map(([, name, type, rest]) => ({ name, type, required: rest.includes('required="true"') })),
}));
const shortClass = (cls) => cls.replace(/^Finframe\\Elements\\Block\\/, '');
const SCRIPT = '<script type="module" src="&#x2F;static&#x2F;frontend&#x2F;Magento&#x2F;luma&#x2F;en_US&#x2F;Finframe_Elements&#x2F;js&#x2F;loader.js"></script>';

test('php and xmllint are installed (the Magento checks need them)', () => {
  assert.ok(tool('php'), `php is missing: ${INSTALL}`);
  assert.ok(tool('xmllint'), `xmllint is missing: ${INSTALL}`);
});

test('php -l passes on every PHP file and template of the module and of its test harness', () => {
  const php = [...files(MODULE, (p) => /\.(php|phtml)$/.test(p)), ...files(join(ROOT, 'test/magento'), (p) => p.endsWith('.php'))];
  assert.ok(php.length >= 12, `only ${php.length} PHP files found`);
  for (const file of php) {
    const result = spawnSync('php', ['-l', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${relative(ROOT, file)}: ${result.stdout}${result.stderr}`);
  }
});

test('php -l and xmllint do fail on a broken file (the checks above can fail)', () => {
  const php = spawnSync('php', ['-l'], { input: '<?php echo "unterminated;', encoding: 'utf8' });
  assert.notEqual(php.status, 0);
  const xml = spawnSync('xmllint', ['--noout', '-'], { input: '<config><a></config>', encoding: 'utf8' });
  assert.notEqual(xml.status, 0);
});

test('xmllint --noout passes on every XML file of the module', () => {
  const xml = files(MODULE, (p) => p.endsWith('.xml'));
  assert.deepEqual(xml.map((p) => relative(MODULE, p)).sort(), [
    'etc/acl.xml',
    'etc/adminhtml/system.xml',
    'etc/config.xml',
    'etc/csp_whitelist.xml',
    'etc/module.xml',
    'etc/view.xml',
    'etc/widget.xml',
    'view/frontend/layout/default.xml',
    'view/frontend/layout/hyva_default.xml',
  ]);
  for (const file of xml) {
    const result = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
    assert.equal(result.status, 0, `${relative(ROOT, file)}: ${result.stderr}`);
  }
});

test('registration, module.xml and composer.json name the same module, and composer autoloads the Block classes', () => {
  assert.match(readFileSync(join(MODULE, 'registration.php'), 'utf8'), /ComponentRegistrar::register\(ComponentRegistrar::MODULE, 'Finframe_Elements', __DIR__\)/);
  assert.match(readFileSync(join(MODULE, 'etc/module.xml'), 'utf8'), /<module name="Finframe_Elements">/);
  const composer = JSON.parse(readFileSync(join(MODULE, 'composer.json'), 'utf8'));
  assert.equal(composer.type, 'magento2-module');
  assert.deepEqual(composer.autoload, { files: ['registration.php'], 'psr-4': { 'Finframe\\Elements\\': '' } });
  // SecureHtmlRenderer wrote `<script …/>` for an empty content before 103.0.4 (magento/magento2#32822).
  assert.equal(composer.require['magento/framework'], '^103.0.4');
});

test('etc/csp_whitelist.xml is what the elements\' host lists generate (node integrations/magento/build.mjs csp)', async () => {
  const hosts = await loadHosts();
  assert.equal(readFileSync(WHITELIST, 'utf8'), cspWhitelist(hosts), 'stale: run `npm run build && node integrations/magento/build.mjs csp`');
  // A host added to a list changes the whitelist: the comparison above can fail.
  assert.notEqual(cspWhitelist({ ...hosts, FLEXITI_HOSTS: [...hosts.FLEXITI_HOSTS, 'posapi-new.flexiti.fi'] }), cspWhitelist(hosts));
});

test('the whitelist covers exactly the frames and scripts the elements accept, and no loopback origin', async () => {
  const hosts = await loadHosts();
  const sources = cspSources(hosts);
  const frame = sources['frame-src'].map(([, source]) => source);
  // Every frame host an element accepts matches a frame-src source (CSP host matching: a leading
  // `*.` matches one or more labels)…
  const matches = (source, host) => {
    const pattern = new URL(source.replace('*.', 'wildcard.')).host;
    return source.includes('*.') ? host.endsWith(pattern.slice('wildcard'.length)) : host === pattern;
  };
  const accepted = ['toolbox-iframe.private.fin.ag', 'acme-iframe.private.fin.ag', ...hosts.FLEXITI_HOSTS, ...hosts.BENJI_HOSTS];
  for (const host of accepted) assert.ok(frame.some((source) => matches(source, host)), `${host} is not in frame-src`);
  // …and nothing else: the only wildcard is Flinks' parent domain, every other source an accepted host.
  for (const source of frame) {
    assert.ok(source.startsWith('https://'), source);
    if (!source.includes('*')) assert.ok(accepted.includes(new URL(source).host), `${source} is no element's host`);
  }
  assert.deepEqual(frame.filter((source) => source.includes('*')), ['https://*.private.fin.ag']);
  for (const policy of ['script-src', 'connect-src', 'style-src', 'img-src', 'font-src']) {
    assert.deepEqual(sources[policy].map(([, source]) => source), Object.values(hosts.FINAPI_SERVERS), policy);
  }
  const xml = readFileSync(WHITELIST, 'utf8');
  const values = [...xml.matchAll(/<value id="[^"]+" type="host">([^<]*)<\/value>/g)].map((m) => m[1]);
  assert.equal(values.length, frame.length + 5 * Object.keys(hosts.FINAPI_SERVERS).length);
  for (const value of values) {
    assert.match(value, /^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/, `${value}: https, a host, never a bare wildcard`);
    assert.doesNotMatch(value, /localhost|127\.0\.0\.1/);
  }
  const ids = [...xml.matchAll(/<policy id="([^"]+)">([\s\S]*?)<\/policy>/g)].map(([, id, body]) => [id, [...body.matchAll(/<value id="([^"]+)"/g)].map((m) => m[1])]);
  for (const [policy, values] of ids) assert.equal(new Set(values).size, values.length, `${policy}: value ids must be unique`);
});

test('every dist/cdn/*.js is copied flat into view/frontend/web/js/, byte for byte, and nothing else is there', () => {
  assert.ok(existsSync(JS_DIR), 'no view/frontend/web/js/: `npm run build` copies it (node integrations/magento/build.mjs)');
  const cdn = readdirSync(CDN_DIR).filter((name) => name.endsWith('.js')).sort();
  const shipped = readdirSync(JS_DIR).sort();
  assert.ok(cdn.includes('finframe.js'));
  assert.deepEqual(shipped, cdn, 'only .js, no source maps, no folders');
  for (const name of cdn) assert.ok(readFileSync(join(CDN_DIR, name)).equals(readFileSync(join(JS_DIR, name))), `${name} differs from dist/cdn/`);
  // The entry the templates load is one of them.
  const entry = /public const ENTRY = '([^']+)'/.exec(readFileSync(join(MODULE, 'Block/Loader.php'), 'utf8'))[1];
  assert.ok(shipped.includes(entry), `Loader::ENTRY ${entry} is not shipped`);
  // And the files are not committed (they are build output).
  assert.match(readFileSync(join(MODULE, '.gitignore'), 'utf8'), /^\/view\/frontend\/web\/js\/\*\.js$/m);
});

test('finframe\'s files are kept out of Magento\'s minification and bundling', () => {
  assert.equal(leaves(configXml).get('config/default/dev/js/minify_exclude/finframe_elements'), '/Finframe_Elements/js/');
  assert.equal(leaves(readFileSync(join(MODULE, 'etc/view.xml'), 'utf8')).get('view/exclude/item'), 'Finframe_Elements::js');
});

test('widget.xml: one widget per element, each with its own block class that exists', () => {
  assert.deepEqual(widgets.map((w) => shortClass(w.cls)), ['Widget\\FlinksConnect', 'Widget\\FlexitiWidget', 'Widget\\BenjiConnect', 'Widget\\FinapiWebForm', 'Widget\\FlexpayStatus']);
  assert.equal(new Set(widgets.map((w) => w.id)).size, widgets.length);
  for (const { cls } of widgets) assert.ok(existsSync(join(MODULE, 'Block', `${shortClass(cls).replace('\\', '/')}.php`)), cls);
  // No parameter could carry a token or secret.
  for (const { parameters } of widgets) for (const { name } of parameters) assert.doesNotMatch(name, /token|secret|key|password/i);
});

test('every widget parameter reaches the rendered element or form (the block reads each one)', () => {
  for (const widget of widgets) {
    const data = {};
    const marks = {};
    for (const { name, type } of widget.parameters) {
      if (type === 'text') data[name] = marks[name] = `mark${name.replace(/_/g, '')}`;
    }
    // Yes/no parameters: rendered as boolean attributes or the open button.
    for (const { name, type } of widget.parameters) if (type === 'select' && !['flow', 'environment'].includes(name)) data[name] = '1';
    if (widget.parameters.some((p) => p.name === 'environment')) data.environment = 'sandbox';
    if (widget.parameters.some((p) => p.name === 'flow')) data.flow = 'apply';
    const html = render({ config: defaults, blocks: [{ class: shortClass(widget.cls), data }] });
    for (const [name, mark] of Object.entries(marks)) assert.ok(html.includes(mark), `${widget.id}: ${name} is not rendered`);
    if (data.required) assert.match(html, / required[ >]/, `${widget.id}: required`);
    if (data.flow) assert.match(html, / flow="apply"/);
    if (data.environment) assert.match(html, / environment="sandbox"/);
    if (data.demo) assert.match(html, / demo /);
    if (data.modal) assert.match(html, /command="--open"/, `${widget.id}: modal`);
  }
});

test('system.xml\'s fields and config.xml\'s defaults match, and each element\'s block reads its own group', () => {
  const system = readFileSync(join(MODULE, 'etc/adminhtml/system.xml'), 'utf8');
  const fields = [];
  for (const [, group, body] of system.matchAll(/<group id="([^"]+)"[^>]*>([\s\S]*?)<\/group>/g)) {
    for (const [, field] of body.matchAll(/<field id="([^"]+)"/g)) fields.push(`finframe/${group}/${field}`);
  }
  assert.deepEqual(fields.sort(), Object.keys(defaults).sort());
  // The defaults are what an unconfigured widget renders.
  const html = render({ config: defaults, blocks: [{ class: 'Widget\\FlinksConnect' }, { class: 'Widget\\BenjiConnect' }, { class: 'Widget\\FinapiWebForm' }, { class: 'Widget\\FlexpayStatus' }, { class: 'Widget\\FlexitiWidget' }] });
  assert.match(html, /<flinks-connect [^>]*instance="toolbox"[^>]*session-url="&#x2F;finframe&#x2F;flinks&#x2F;session"/);
  assert.match(html, /action="\/finframe\/flinks\/result"/);
  assert.match(html, /<benji-connect [^>]*environment="sandbox"[^>]*session-url="&#x2F;finframe&#x2F;benji&#x2F;session"/);
  assert.match(html, /<finapi-web-form [^>]*environment="sandbox"[^>]*session-url="&#x2F;finframe&#x2F;finapi&#x2F;session"/);
  assert.match(html, /<flexpay-status [^>]*src="&#x2F;finframe&#x2F;flexpay&#x2F;status"/);
  assert.match(html, /<flexiti-widget [^>]*flow="purchase"[^>]*session-url="&#x2F;finframe&#x2F;flexiti&#x2F;session"/);
  // A store-level value wins over the default.
  const own = render({ config: { ...defaults, 'finframe/flinks/instance': 'acme' }, blocks: [{ class: 'Widget\\FlinksConnect' }] });
  assert.match(own, / instance="acme"/);
});

test('a widget renders the module script, then its form: form_key first, the element with its attributes, a submit button', () => {
  const html = render({ config: defaults, formKey: 'fk-Abc123', blocks: [{ class: 'Widget\\FlinksConnect', data: { required: '1', session_url: '/checkout/flinks/session', form_action: '/checkout/flinks/result' } }] });
  assert.equal(html.split('<script').length - 1, 1, 'one script');
  assert.ok(html.startsWith(SCRIPT), html);
  assert.match(html, /<form class="finframe-form finframe-form-flinks-connect" method="post" action="\/checkout\/flinks\/result">\s*<input name="form_key" type="hidden" value="fk-Abc123">\s*<flinks-connect id="finframe-flinks-connect-1" instance="toolbox" session-url="&#x2F;checkout&#x2F;flinks&#x2F;session" name="bank" required submit-on="connected"><\/flinks-connect>\s*<button type="submit" class="action primary">Continue<\/button>\s*<\/form>/);
});

test('a hostile parameter value is escaped everywhere: no markup, no script, no javascript: URL', () => {
  const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`;
  const data = Object.fromEntries(['session_url', 'instance', 'field_name', 'submit_on', 'button_label', 'open_label'].map((name) => [name, hostile]));
  const html = render({ config: defaults, formKey: `k"><b>`, blocks: [{ class: 'Widget\\FlinksConnect', data: { ...data, modal: '1', form_action: 'javascript:alert(3)' } }] });
  assert.equal(html.split('<script').length - 1, 1, 'only the module script');
  assert.doesNotMatch(html, /<img|<b>|javascript:/);
  // Inside attributes nothing but the escaper's references: no quote, no angle bracket, no parenthesis.
  // (The action went through escapeUrl: its script scheme is gone, the rest is a harmless relative URL.)
  for (const [, name, value] of html.matchAll(/ ([\w-]+)="([^"]*)"/g)) if (name !== 'action') assert.doesNotMatch(value, /[<>'()]/, `${name}="${value}"`);
  assert.equal(html.split('<').length - 1, 11, 'script, /script, form, input, open button, /button, element, /element, submit button, /button, /form: no other tag');
  assert.match(html, /action=":alert\(3\)"|action=":alert&#x28;3&#x29;"/);
  // The text of the buttons is the literal value, HTML-escaped.
  assert.ok(html.includes('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#039;</button>'), html);
});

test('no token or unknown parameter reaches the page: only the attributes each block declares', () => {
  const secrets = { token: 'SECRET-1', authorize_token: 'SECRET-2', connect_token: 'SECRET-3', src: 'https://evil.example/SECRET-4', onclick: 'SECRET-5', 'data-x': 'SECRET-6' };
  for (const { cls } of widgets) {
    const html = render({ config: defaults, blocks: [{ class: shortClass(cls), data: { ...secrets, reference: 'R-1' } }] });
    assert.doesNotMatch(html, /SECRET|evil\.example|token=|onclick/, `${cls}: ${html}`);
  }
});

test('modal elements get an open button pointing at their own id; two widgets on one page get two ids', () => {
  const html = render({ config: defaults, blocks: [{ class: 'Widget\\BenjiConnect' }, { class: 'Widget\\BenjiConnect', data: { modal: '0' } }, { class: 'Widget\\FlinksConnect', data: { modal: '1', open_label: 'Connect your bank' } }] });
  assert.match(html, /<button type="button" class="action secondary" commandfor="finframe-benji-connect-1" command="--open">Open<\/button>\s*<benji-connect id="finframe-benji-connect-1" environment="sandbox" session-url=/);
  assert.match(html, /<benji-connect id="finframe-benji-connect-2" environment="sandbox" inline session-url=/);
  assert.doesNotMatch(html, /commandfor="finframe-benji-connect-2"/);
  assert.match(html, /commandfor="finframe-flinks-connect-3" command="--open">Connect your bank<\/button>\s*<flinks-connect id="finframe-flinks-connect-3" instance="toolbox" modal /);
});

test('<flexpay-status> takes src and reference, no session-url; an empty submit label is the default one', () => {
  const html = render({ config: defaults, blocks: [{ class: 'Widget\\FlexpayStatus', data: { reference: 'ORDER-10042', button_label: ' ' } }] });
  assert.match(html, /<flexpay-status id="finframe-flexpay-status-1" reference="ORDER-10042" src="&#x2F;finframe&#x2F;flexpay&#x2F;status" name="flexpay" submit-on="successful"><\/flexpay-status>\s*<button type="submit" class="action primary">Continue<\/button>\s*<\/form>/);
  assert.doesNotMatch(html, /session-url/);
});

test('widget.xml gives each yes/no parameter its default: modal off but Benji\'s, demo and required off', () => {
  for (const [, id, body] of widgetXml.matchAll(/<widget id="([^"]+)"[\s\S]*?<parameters>([\s\S]*?)<\/parameters>/g)) {
    for (const [, name, param] of body.matchAll(/<parameter name="(modal|demo|required)"[^>]*>([\s\S]*?)<\/parameter>/g)) {
      assert.match(param, new RegExp(`<value>${id === 'finframe_benji_connect' && name === 'modal' ? 1 : 0}</value>`), `${id} ${name}`);
    }
  }
});

test('the loader block: the module script once when "Load on every page" is Yes, nothing when No', () => {
  assert.equal(render({ config: defaults, blocks: [{ class: 'Loader' }] }).trim(), SCRIPT);
  assert.equal(render({ config: { ...defaults, 'finframe/general/load_on_every_page': '0' }, blocks: [{ class: 'Loader' }] }).trim(), '');
});

test('the layout handles: default.xml adds the loader block, its hyva_ twin keeps the same block; no script declared in layout XML', () => {
  const luma = readFileSync(join(MODULE, 'view/frontend/layout/default.xml'), 'utf8');
  const hyva = readFileSync(join(MODULE, 'view/frontend/layout/hyva_default.xml'), 'utf8');
  assert.match(luma, /<referenceContainer name="before.body.end">\s*<block class="Finframe\\Elements\\Block\\Loader" name="finframe.loader" template="Finframe_Elements::loader.phtml"\/>/);
  assert.match(hyva, /<move element="finframe.loader" destination="before.body.end"\/>/);
  for (const xml of [luma, hyva]) assert.doesNotMatch(xml.replace(/<!--[\s\S]*?-->/g, ''), /<script|<head>|\.js/);
  assert.ok(existsSync(join(MODULE, 'view/frontend/templates/loader.phtml')));
});

test('the templates write scripts only through $secureRenderer and output only escaped values', () => {
  for (const file of files(join(MODULE, 'view/frontend/templates'), (p) => p.endsWith('.phtml'))) {
    const source = readFileSync(file, 'utf8');
    assert.doesNotMatch(source, /<script/, `${relative(MODULE, file)}: a literal <script>`);
    for (const [echo] of source.matchAll(/<\?=[\s\S]*?\?>/g)) {
      assert.match(echo, /\$escaper->escape(Html|HtmlAttr|Url)\(|@noEscape \*\/ \$(secureRenderer->renderTag\(|tag )/, `${relative(MODULE, file)}: unescaped ${echo}`);
    }
  }
});
