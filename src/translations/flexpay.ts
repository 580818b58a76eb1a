import type { FlexPayText, Lang } from './types.js';

/** `<flexpay-status>`'s built-in text. Plain text, no lit-html. */
export const flexpayText: Record<Lang, FlexPayText> = {
  en: {
    required: 'Your finance application needs to be approved before you continue',
    outcomes: {
      pending:
        'Your finance application is being processed. This page updates by itself as soon as there is a decision, so there is no need to refresh it.',
      successful: 'Your finance application was approved and your order is complete. Thank you!',
      failed:
        'Your finance application did not go through, so this order has not been completed. This happens when an application is declined, cancelled or not finished, and also when the lender refers it for a manual review. If your application was referred and the lender approves it, come back and check out again with FlexPay.',
      error: 'We cannot show the status of your finance application on this page right now. Please refresh the page later, or contact us to find out whether your order went through.',
    },
  },
  fr: {
    required: 'Votre demande de financement doit être approuvée avant de continuer',
    outcomes: {
      pending:
        'Votre demande de financement est en cours de traitement. Cette page se met à jour d’elle-même dès qu’une décision est prise\u00a0: inutile de l’actualiser.',
      successful: 'Votre demande de financement a été acceptée et votre commande est finalisée. Merci\u00a0!',
      failed:
        'Votre demande de financement n’a pas abouti\u00a0: cette commande n’a donc pas été finalisée. Cela arrive lorsqu’une demande est refusée, annulée ou inachevée, ainsi que lorsque le prêteur la transmet pour un examen manuel. Si votre demande a été transmise et que le prêteur l’accepte, revenez et repassez commande en choisissant FlexPay.',
      error: 'Nous ne pouvons pas afficher l’état de votre demande de financement sur cette page pour le moment. Veuillez actualiser la page plus tard, ou nous contacter pour savoir si votre commande a abouti.',
    },
  },
};

