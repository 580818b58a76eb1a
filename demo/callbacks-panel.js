// The demo's finAPI callback panel (browser ES module): buttons that make the demo server fire
// sample callbacks at the real receiver (POST /callbacks/finapi/sample — the page never holds the
// secret), what each delivery got back, and a table of the stored state (GET /callbacks/finapi/state).
// Both routes are the demo's playground (demo/playground/finapi-playground.mjs): loopback only.
// Everything is built with document.createElement and shown through textContent, never as
// markup: the demo pages run under a strict CSP with Trusted Types.

const KINDS = [
  ['webForm', 'Web form finalised'],
  ['task', 'Task finalised'],
  ['webFormRequired', 'Task: web form required'],
  ['duplicate', 'Duplicate'],
  ['outOfOrder', 'Out of order'],
  ['badSecret', 'Wrong secret'],
  ['badBody', 'Bad bodies'],
];

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

const short = (value) => (typeof value === 'string' && value.length > 13 ? `${value.slice(0, 8)}…${value.slice(-4)}` : value ?? '–');

/**
 * Renders the panel into `container` (its children are replaced) and loads the stored state.
 * Returns `{ refresh, fire }`: reload the table, or fire a sample kind as the buttons do —
 * `fire('webForm', {webFormId, status}, 'why')` sends the callback of one given web form.
 *
 * @param {HTMLElement} container
 * @param {{ base?: string }} [options]  where the routes live (default `/callbacks/finapi`)
 */
export function mountFinapiCallbackPanel(container, { base = '/callbacks/finapi' } = {}) {
  const status = el('p', { className: 'hint', role: 'status', text: 'Loading stored state…' });
  const buttons = el('div', { className: 'buttons' });
  const results = el('ol', { className: 'log callbacks-results', 'aria-label': 'Deliveries' });
  const body = el('tbody');
  const table = el(
    'table',
    { className: 'callbacks-state' },
    el('caption', { text: 'Stored records (newest first)' }),
    el('thead', {}, el('tr', {}, ...['key', 'version', 'status', 'web form', 'updated (UTC)'].map((h) => el('th', { scope: 'col', text: h })))),
    body,
  );
  const refreshButton = el('button', { type: 'button', className: 'small', text: 'Refresh' });

  container.replaceChildren(
    el('p', { className: 'hint', text: 'The demo server fires each sample at its own finAPI receiver over HTTP, with the secret only it knows.' }),
    buttons,
    status,
    results,
    el('div', { className: 'log-head' }, el('h3', { text: 'Stored state' }), refreshButton),
    table,
  );

  async function refresh() {
    try {
      const response = await fetch(`${base}/state`, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { records } = await response.json();
      body.replaceChildren(
        ...records.map((record) => {
          const data = record.data ?? {};
          return el(
            'tr',
            {},
            el('td', { text: `${record.key.split(':')[0]}:${short(record.key.slice(record.key.indexOf(':') + 1))}`, title: record.key }),
            el('td', { text: String(record.version) }),
            el('td', { text: String(data.status ?? '–') }),
            el('td', { text: String(data.webForm?.status ?? '–') }),
            el('td', { text: String(record.updatedAt ?? '').slice(11, 23), title: String(record.updatedAt ?? '') }),
          );
        }),
      );
      if (!records.length) body.append(el('tr', {}, el('td', { colspan: '5', text: 'Nothing stored yet.' })));
      status.textContent = `${records.length} record${records.length === 1 ? '' : 's'} stored.`;
    } catch (error) {
      status.textContent = `Could not load the stored state: ${error.message}`;
    }
  }

  async function fire(kind, details = {}, why = '') {
    status.textContent = `Sending “${kind}”…`;
    try {
      const response = await fetch(`${base}/sample`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...details, kind }),
      });
      const result = await response.json();
      for (const delivery of result.deliveries ?? []) {
        const answer = delivery.answer ?? {};
        const verdict = answer.ok ? (answer.changed ? `changed → v${answer.version}` : answer.duplicate ? 'duplicate' : 'stale') : answer.error;
        const kindClass = delivery.status >= 400 ? 'error' : answer.changed ? 'outcome' : 'info';
        results.prepend(
          el(
            'li',
            { className: `entry ${kindClass}` },
            el('div', {}, el('span', { className: 'headline', text: `${delivery.status} ${verdict ?? ''}` }), ` ${why || kind}: ${delivery.label}`),
            el('pre', { text: JSON.stringify({ sent: delivery.sent, answer }, null, 1) }),
          ),
        );
      }
      while (results.children.length > 30) results.lastElementChild.remove();
      if (!response.ok) status.textContent = `${response.status} ${result.error ?? ''}: ${result.reason ?? ''}`;
    } catch (error) {
      status.textContent = `Could not send: ${error.message}`;
    }
    await refresh();
  }

  for (const [kind, label] of KINDS) {
    const button = el('button', { type: 'button', 'data-kind': kind, text: label });
    if (kind.startsWith('bad')) button.className = 'danger';
    button.addEventListener('click', () => fire(kind));
    buttons.append(button);
  }
  refreshButton.addEventListener('click', refresh);
  refresh();
  return { refresh, fire };
}
