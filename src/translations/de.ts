import type { FinapiText } from './types.js';

// German is offered where the provider is German: <finapi-web-form>.
export const finapi: FinapiText = {
  label: 'Bankverbindung mit finAPI',
  loading: 'Das sichere finAPI-Formular wird geladen…',
  outcomes: {
    completed: 'Fertig. Ihr Auftrag bei Ihrer Bank ist abgeschlossen.',
    failed: 'Ihr Auftrag bei Ihrer Bank konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut oder kontaktieren Sie uns, wenn es wieder passiert.',
    aborted: 'Sie haben abgebrochen. Sie können jederzeit neu beginnen.',
    error: 'Das sichere Bankformular konnte nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.',
  },
};
