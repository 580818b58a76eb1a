import type { FinapiText } from './types.js';

/** `<finapi-web-form>`'s built-in text: English, French and German. Plain text, no lit-html. */
export const finapiEn: FinapiText = {
  label: 'Bank connection with finAPI',
  loading: 'Loading the secure finAPI web form…',
  required: 'Complete the secure bank form to continue',
  outcomes: {
    completed: 'Done. Your request with your bank is complete.',
    failed: 'Your request with your bank could not be completed. Please try again, or contact us if it keeps happening.',
    aborted: 'You cancelled. You can start again whenever you are ready.',
    error: 'The secure bank form could not be loaded. Please try again in a moment.',
  },
};

export const finapiFr: FinapiText = {
  label: 'Connexion bancaire avec finAPI',
  loading: 'Chargement du formulaire sécurisé finAPI…',
  required: 'Remplissez le formulaire bancaire sécurisé pour continuer',
  outcomes: {
    completed: 'Terminé. Votre demande auprès de votre banque est complétée.',
    failed: 'Votre demande auprès de votre banque n’a pas pu aboutir. Veuillez réessayer, ou nous contacter si le problème persiste.',
    aborted: 'Vous avez annulé. Vous pouvez recommencer quand vous le souhaitez.',
    error: 'Le formulaire bancaire sécurisé n’a pas pu être chargé. Veuillez réessayer dans un moment.',
  },
};

export const finapiDe: FinapiText = {
  label: 'Bankverbindung mit finAPI',
  loading: 'Das sichere finAPI-Formular wird geladen…',
  required: 'Schließen Sie das sichere Bankformular ab, um fortzufahren',
  outcomes: {
    completed: 'Fertig. Ihr Auftrag bei Ihrer Bank ist abgeschlossen.',
    failed: 'Ihr Auftrag bei Ihrer Bank konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut oder kontaktieren Sie uns, wenn es wieder passiert.',
    aborted: 'Sie haben abgebrochen. Sie können jederzeit neu beginnen.',
    error: 'Das sichere Bankformular konnte nicht geladen werden. Bitte versuchen Sie es gleich noch einmal.',
  },
};
