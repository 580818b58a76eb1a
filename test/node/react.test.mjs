// `finframe/react` as published (dist/react/, through the package's `exports`) in Node: it imports
// without a DOM, and server rendering writes neither the token nor any other property into the HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

test('finframe/react imports in Node and exports a component per element', async () => {
  const react = await import('finframe/react');
  for (const name of ['FlinksConnect', 'FlexitiWidget', 'BenjiConnect', 'FinapiWebForm', 'FlexpayStatus']) {
    assert.equal(typeof react[name], 'object', `${name} is not a React component`);
    assert.equal(react[name].displayName, name);
  }
});

test('server rendering keeps properties (the token among them) out of the HTML', async () => {
  const { FlinksConnect, FinapiWebForm } = await import('finframe/react');
  const flinks = renderToString(
    createElement(FlinksConnect, { authorizeToken: 'tok-secret', instance: 'toolbox', 'session-url': '/session', onProviderOutcome: () => {} }),
  );
  assert.equal(flinks, '<flinks-connect session-url="/session"></flinks-connect>');
  const finapi = renderToString(createElement(FinapiWebForm, { token: 'tok-secret' }));
  assert.equal(finapi, '<finapi-web-form></finapi-web-form>');
});
