// DEVELOPMENT ONLY — never copy this into a shop's page.
//
// The demo loads finframe's production CDN bundle (/dist/cdn/finframe.js), and its fake providers
// answer on loopback (localhost, 127.0.0.1): a production build refuses loopback frames, finAPI
// scripts and Flinks redirect URLs unless the page opts in, because on a real shopper's machine
// anything could answer there. This module is the demo's opt-in. It is loaded before the bundle
// (module scripts run in document order) and sets the global symbol finframe reads when each
// element starts a session — the same as `import { allowLoopback } from 'finframe'; allowLoopback();`
// for a page that bundles finframe. A file, not an inline script: the demo's CSP allows no inline
// scripts. finframe warns once in the console while the opt-in is in use.
globalThis[Symbol.for('finframe.allowLoopback')] = true;
