// The <flexpay-status> demo page: a mock order confirmation watching the demo server's status
// stream, buttons that make the demo server play FlexPay (POST /flexpay/demo/send: it signs and
// delivers each callback to the real receiver, so the page never holds a key or sees a receipt),
// the receiver's answers, and the live log. Everything shown comes from textContent.

import { $, createLog, errorEntry, everyFrame, isDefinedSoon, setText, showState, showMissing } from './shared.js';

const log = createLog();

// The forged-status replay: the shopper's genuine receipt of a declined application, re-posted
// claiming SUCCESSFUL (added here so the page needs no markup change).
if (!document.querySelector('button[data-kind="forged"]')) {
  const forged = document.createElement('button');
  forged.type = 'button';
  forged.dataset.kind = 'forged';
  forged.className = 'danger';
  forged.disabled = true;
  forged.textContent = 'Forged status';
  forged.title = 'The shopper re-posts the genuine receipt of a declined application, claiming SUCCESSFUL; then FlexPay sends FAILED';
  $('send-forged')?.append(forged);
}
const sendButtons = [...document.querySelectorAll('button[data-kind]')];
const newOrderButton = $('new-order');
const dropButton = $('drop');
const deliveries = $('deliveries');
const sendState = $('send-state');

const defined = await isDefinedSoon('flexpay-status');

const el = document.createElement('flexpay-status');
el.id = 'flexpay';
// The shop's status endpoint (createStatusStream); the element adds ?reference=….
el.setAttribute('src', '/flexpay/status');

/** The order the page shows now. */
let reference;

showState(el, $('status'), $('outcome'));
everyFrame(() => {
  setText($('payment-status'), (el.isConnected && el.paymentStatus) || '–');
});
const showTransport = () => {
  $('transport').textContent = !el.isConnected ? '–' : el.polling ? 'polling JSON' : typeof EventSource === 'function' ? 'EventSource' : 'polling JSON';
};

async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let result;
  try {
    result = await response.json();
  } catch {
    result = {};
  }
  return { status: response.status, result };
}

/** A new demo order from the demo server; the element then watches it (a new session). */
async function newOrder() {
  newOrderButton.disabled = true;
  try {
    const { status, result } = await postJson('/flexpay/demo/order', {});
    if (status === 404) throw new Error('HTTP 404: the demo server has no FlexPay routes (build finframe/server with FlexPay, then restart it)');
    if (status !== 201 || typeof result.reference !== 'string') throw new Error(`HTTP ${status} ${result.error ?? ''}`);
    reference = result.reference;
    $('order-number').textContent = `#${reference}`;
    $('reference').textContent = reference;
    log('info', `New order #${reference}: <flexpay-status reference="${reference}" src="/flexpay/status">`);
    el.setAttribute('reference', reference);
    if (!el.isConnected) $('host').append(el);
    showTransport();
    for (const button of [...sendButtons, dropButton]) button.disabled = false;
  } catch (error) {
    log('fatal', `Could not create a demo order: ${error.message}`);
  } finally {
    newOrderButton.disabled = false;
  }
}

/** One row per delivery: the receiver's HTTP status and its verdict. */
function verdict(delivery) {
  const answer = delivery.answer ?? {};
  if (!answer.ok) return `${delivery.status} ${answer.error ?? ''}`;
  if (answer.unproven) return `${delivery.status} unproven, not stored`;
  return `${delivery.status} ${answer.changed ? `changed → v${answer.version}` : answer.duplicate ? 'duplicate, no effect' : 'stale, no effect'}`;
}

function showDelivery(kind, delivery) {
  const answer = delivery.answer ?? {};
  const kindClass = delivery.status >= 400 || answer.unproven ? 'error' : answer.changed ? 'outcome' : 'info';
  const item = document.createElement('li');
  item.className = `entry ${kindClass}`;
  item.dataset.kind = kind;
  const head = document.createElement('div');
  const headline = document.createElement('span');
  headline.className = 'headline';
  headline.textContent = verdict(delivery);
  head.append(headline, ` ${kind}: ${delivery.label}`);
  const pre = document.createElement('pre');
  pre.textContent = JSON.stringify({ sent: delivery.sent, answer }, null, 1);
  item.append(head, pre);
  deliveries.prepend(item);
  while (deliveries.children.length > 30) deliveries.lastElementChild.remove();
}

async function send(kind) {
  if (!reference) return;
  sendState.textContent = `FlexPay sends “${kind}” for #${reference}…`;
  try {
    const { status, result } = await postJson('/flexpay/demo/send', { reference, kind });
    if (status !== 200) {
      sendState.textContent = `${status} ${result.error ?? ''}: ${result.reason ?? ''}`;
      log('error', `FlexPay ${kind}: not sent — ${result.reason ?? `HTTP ${status}`}`);
      return;
    }
    for (const delivery of result.deliveries) {
      showDelivery(kind, delivery);
      log(delivery.status >= 400 ? 'error' : 'info', `FlexPay → POST /flexpay/callback  ${delivery.label}: ${verdict(delivery)}`, delivery.answer?.reason);
    }
    sendState.textContent = result.description;
  } catch (error) {
    sendState.textContent = `Could not send: ${error.message}`;
  }
}

async function drop() {
  const { status, result } = await postJson('/flexpay/demo/drop', {});
  if (status !== 200) return log('error', `Drop the stream: HTTP ${status}`);
  log(
    'info',
    `The server ended ${result.dropped} open status stream${result.dropped === 1 ? '' : 's'}: EventSource reconnects by itself with Last-Event-ID`,
  );
}

// The live log. Every listener is on the document: the events bubble and are composed.

document.addEventListener('provider-ready', (e) => {
  if (e.target !== el) return;
  log('ready', 'provider-ready  (the first status report arrived)');
});
document.addEventListener('provider-event', (e) => {
  if (e.target !== el) return;
  log('event', `provider-event  ${e.detail.name}`, e.detail.data);
});
document.addEventListener('provider-error', (e) => {
  if (e.target !== el) return;
  log(...errorEntry(e.detail));
  showTransport();
});
document.addEventListener('provider-outcome', (e) => {
  if (e.target !== el) return;
  const { outcome, data } = e.detail;
  log(outcome === 'successful' ? 'outcome' : 'outcome bad', `provider-outcome  ${outcome}`, data);
  if (outcome === 'successful') log('info', 'next: the shop ships the order (and may confirm with FlexPay\'s transaction endpoint first)');
  if (outcome === 'failed') log('info', 'next: nothing to ship; a referred customer checks out again once the lender approves');
});

for (const button of sendButtons) button.addEventListener('click', () => send(button.dataset.kind));
newOrderButton.addEventListener('click', newOrder);
dropButton.addEventListener('click', drop);

if (defined) {
  await newOrder();
} else {
  showMissing('flexpay-status', $('host'), [newOrderButton, dropButton, ...sendButtons], log);
}
