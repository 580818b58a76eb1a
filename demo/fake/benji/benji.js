// A FAKE Benji Connect frame for the demo and the tests. It posts exactly the messages of
// docs/providers/benji.md to its parent, `{type, data}`, with targetOrigin = the parent's exact
// origin. Like the real one (as far as anything is documented), it posts nothing on load.
//
// Query: connect_token (required; checked for presence only, never shown, logged or posted),
// t (cache buster), mute=1 (post nothing on its own; `send` still works).
//
// Test control channel (a test cannot click inside a cross-origin frame), only from the parent:
//   {fake:'benji', command:'send', message}  posts `message` verbatim
//   {fake:'benji', command:'run', name}      posts what a button would: connect | transfer | redeem |
//       connect-string (token as a string) | exit:<TRIGGER> | error:<name> | events | legacy
//   {fake:'benji', command:'measure', …}     the one test-only reply: see ../fake-common.js

import { listenForControl, postRaw } from '../fake-common.js';

const params = new URLSearchParams(location.search);
// This fake's own rule, unlike the other fakes' (fake-common.js): no top-level check, '' for none.
const parentOrigin = location.ancestorOrigins?.[0] ?? (document.referrer ? new URL(document.referrer).origin : '');
const status = document.getElementById('status');
const muted = params.get('mute') === '1';
let step = 'partner_select';

if (!params.get('connect_token')) status.textContent = 'No connect_token: the real Benji would refuse this session.';
else if (!parentOrigin) status.textContent = 'Cannot tell the parent origin: nothing will be posted.';
else status.textContent = 'Connect token received.';

const post = (message) => postRaw(message, parentOrigin);

const tokenForm = () => document.querySelector('input[name="token"]:checked')?.value ?? 'object';
const success = (action, form = tokenForm()) => {
  const access = `at_${crypto.randomUUID()}`;
  const data = {
    action,
    token: form === 'string' ? access : { access_token: access, refresh_token: `rt_${crypto.randomUUID()}`, expires_at: Date.now() + 3_600_000 },
    metadata: {
      user: { id: 'u_1042', first_name: 'Alex', last_name: 'Martin' },
      status: { status_id: 2, num_of_rewards: 1250, reward_status: 'active', partner_status_tier_id: 'gold' },
      extra_data: { partner_id: 'p_77' },
    },
  };
  if (action !== 'connect') {
    data.transaction = { action, amount: action === 'redeem' ? -500 : 1250, trigger_event_id: 'evt_9', trigger_name: 'purchase' };
  }
  step = 'success';
  post({ type: 'FLOW_SUCCESS', data });
};

const run = (name) => {
  const [what, arg] = name.split(':');
  if (what === 'connect' || what === 'transfer' || what === 'redeem') success(what);
  else if (what === 'connect-string') success('connect', 'string');
  else if (what === 'exit') post({ type: 'FLOW_EXIT', data: { step, trigger: arg } });
  else if (what === 'error') post({ type: 'ERROR', data: { error: arg, error_id: `err_${crypto.randomUUID().slice(0, 8)}` } });
  else if (what === 'events') {
    const metadata = { partner_id: 'p_77', external_user_id: 'shopper-42', screen_name: 'partner_select' };
    post({ type: 'user_partner_select', data: metadata });
    post({ type: 'user_authenticated_with_partner', data: { ...metadata, screen_name: 'authenticate' } });
    post({ type: 'AUTH_SUCCESS', data: {} });
    post({ type: 'EVENT', data: { event: 'go_back_clicked', metadata } });
    post({ type: 'go_back_clicked', data: metadata });
    post({ type: 'user_inactive', data: metadata });
  } else if (what === 'legacy') post({ type: 'authSuccess', data: { token: `at_${crypto.randomUUID()}` } });
};

document.addEventListener('click', (event) => {
  const name = event.target.closest?.('button[data-run]')?.dataset.run;
  if (name && !muted) run(name);
});

// `send` posts verbatim, also under mute=1; `run` does nothing at all under mute=1.
listenForControl('benji', {
  origin: parentOrigin,
  run: (name) => {
    if (!muted) run(name);
  },
});
