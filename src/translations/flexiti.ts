import type { FlexitiText, Lang } from './types.js';

/** Flexiti's customer portal, where an account is activated. */
const PORTAL = 'https://my.flexiti.com/index';

/** `<flexiti-widget>`'s built-in text. Said after the widget is gone: nothing here points at it. */
export const flexitiText: Record<Lang, FlexitiText> = {
  en: {
    frameTitle: 'Pay with Flexiti financing',
    loading: 'Loading Flexiti financing…',
    close: 'Close',
    required: 'Complete Flexiti financing to continue',
    outcomes: {
      verified: 'Your Flexiti account is verified. We are completing your purchase.',
      'not-verified': 'We could not verify your Flexiti account, so this purchase cannot be paid with Flexiti. Please choose another payment method.',
      'existing-account': 'You already have a Flexiti account, so there is no need to apply. You can pay for this purchase with that account.',
      'activation-required': [
        'Your Flexiti account needs to be activated before you can use it. ',
        { href: PORTAL, text: 'Activate it in the Flexiti customer portal' },
        ' (opens in a new tab), then come back to complete your purchase.',
      ],
      apply: 'You need a Flexiti account to pay with Flexiti financing. The next step is to apply for one.',
      'not-eligible': 'Flexiti financing is not available for this purchase. Please choose another payment method.',
      retry: 'Something went wrong at Flexiti. Please try again, or choose another payment method.',
      cancelled: 'You cancelled Flexiti financing. You can choose another payment method.',
      error: 'Flexiti financing could not be loaded. Please check your internet connection and try again, or choose another payment method.',
    },
    unavailable: 'Flexiti financing is not available on this page right now. Please choose another payment method.',
    applySubmit: 'Thank you. We are submitting your Flexiti application.',
    failed: 'Flexiti reported an error, so your financing was not completed. Please try again, or choose another payment method.',
    failure: 'The Flexiti widget reported an error.',
  },
  fr: {
    frameTitle: 'Payer avec le financement Flexiti',
    loading: 'Chargement du financement Flexiti…',
    close: 'Fermer',
    required: 'Terminez le financement Flexiti pour continuer',
    outcomes: {
      verified: 'Votre compte Flexiti est vérifié. Nous finalisons votre achat.',
      'not-verified': 'Nous n’avons pas pu vérifier votre compte Flexiti\u00a0: cet achat ne peut pas être payé avec Flexiti. Veuillez choisir un autre mode de paiement.',
      'existing-account': 'Vous avez déjà un compte Flexiti\u00a0: inutile de faire une demande. Vous pouvez payer cet achat avec ce compte.',
      'activation-required': [
        'Votre compte Flexiti doit être activé avant que vous puissiez l’utiliser. ',
        { href: PORTAL, text: 'Activez-le dans le portail client Flexiti' },
        ' (s’ouvre dans un nouvel onglet), puis revenez pour finaliser votre achat.',
      ],
      apply: 'Il vous faut un compte Flexiti pour payer avec le financement Flexiti. La prochaine étape consiste à en faire la demande.',
      'not-eligible': 'Le financement Flexiti n’est pas offert pour cet achat. Veuillez choisir un autre mode de paiement.',
      retry: 'Un problème est survenu chez Flexiti. Veuillez réessayer ou choisir un autre mode de paiement.',
      cancelled: 'Vous avez annulé le financement Flexiti. Vous pouvez choisir un autre mode de paiement.',
      error: 'Le financement Flexiti n’a pas pu être chargé. Veuillez vérifier votre connexion Internet et réessayer, ou choisir un autre mode de paiement.',
    },
    unavailable: 'Le financement Flexiti n’est pas disponible sur cette page pour le moment. Veuillez choisir un autre mode de paiement.',
    applySubmit: 'Merci. Nous soumettons votre demande Flexiti.',
    failed: 'Flexiti a signalé une erreur\u00a0: votre financement n’a pas été finalisé. Veuillez réessayer ou choisir un autre mode de paiement.',
    failure: 'Le widget Flexiti a signalé une erreur.',
  },
};
