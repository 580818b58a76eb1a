import type { BenjiText, Lang } from './types.js';

/** `<benji-connect>`'s built-in text. What a success means depends on the Benji action (connect, transfer, redeem). */
export const benjiText: Record<Lang, BenjiText> = {
  en: {
    frameTitle: 'Connect your loyalty account with Benji',
    loading: 'Loading Benji Connect…',
    close: 'Close',
    required: 'Connect your loyalty account to continue',
    outcomes: {
      success: 'Done. Benji Connect completed your request.',
      exit: 'You closed Benji Connect before it finished, so nothing was completed. You can open it again at any time.',
      error: 'Benji Connect could not be loaded. Please check your internet connection and try again.',
    },
    actions: {
      connect: 'Your loyalty account is connected.',
      transfer: 'Your points transfer is complete.',
      redeem: 'Your points were redeemed.',
    },
    unavailable: 'Benji Connect is not available on this page right now. Please try again later.',
    partnerError: 'Benji could not connect to your loyalty program. Please try again later.',
    failed: 'Benji Connect ran into a problem and could not finish. Please try again later.',
    failure: 'Benji Connect reported an error.',
  },
  fr: {
    frameTitle: 'Connectez votre compte de fidélité avec Benji',
    loading: 'Chargement de Benji Connect…',
    close: 'Fermer',
    required: 'Connectez votre compte de fidélité pour continuer',
    outcomes: {
      success: 'C’est fait. Benji Connect a traité votre demande.',
      exit: 'Vous avez fermé Benji Connect avant la fin\u00a0: rien n’a été effectué. Vous pouvez le rouvrir à tout moment.',
      error: 'Benji Connect n’a pas pu être chargé. Veuillez vérifier votre connexion Internet et réessayer.',
    },
    actions: {
      connect: 'Votre compte de fidélité est connecté.',
      transfer: 'Votre transfert de points est terminé.',
      redeem: 'Vos points ont été échangés.',
    },
    unavailable: 'Benji Connect n’est pas disponible sur cette page pour le moment. Veuillez réessayer plus tard.',
    partnerError: 'Benji n’a pas pu se connecter à votre programme de fidélité. Veuillez réessayer plus tard.',
    failed: 'Benji Connect a rencontré un problème et n’a pas pu terminer. Veuillez réessayer plus tard.',
    failure: 'Benji Connect a signalé une erreur.',
  },
};
