// A hostile third-origin page: it knows the Flinks protocol and posts forged messages to its
// parent with targetOrigin '*'. A page using <flinks-connect> must not react to any of them:
// they come neither from the Flinks frame's window nor from its origin.

const uuid = () => crypto.randomUUID?.() ?? '00000000-0000-4000-8000-000000000000';

function forgeries() {
  const loginId = uuid();
  const requestId = uuid();
  const url = `https://toolbox-iframe.private.fin.ag/v2/Result/FlinksCapital/${loginId}?loginId=${loginId}&institution=FlinksCapital&accountId=evil`;
  return [
    { step: 'APP_MOUNTED' },
    { step: 'REDIRECT', loginId, requestId, institution: 'FlinksCapital', url },
    JSON.stringify({ step: 'REDIRECT', institution: 'FlinksCapital', url }),
    { step: 'COMPONENT_CLOSE_SESSION', institution: 'FlinksCapital' },
    { requestId, flinksCode: 'SESSION_EXPIRED', institution: 'FlinksCapital' },
  ];
}

let sent = 0;
function attack() {
  if (window.parent === window) return;
  for (const message of forgeries()) {
    window.parent.postMessage(message, '*');
    sent++;
  }
  document.getElementById('count').textContent = `${sent} forged messages posted.`;
}

document.getElementById('origin').textContent = location.origin;
document.getElementById('again').addEventListener('click', attack);
attack();
