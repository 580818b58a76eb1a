import type { FlinksText, Lang } from './types.js';

/** `<flinks-connect>`'s built-in text. */
export const flinksText: Record<Lang, FlinksText> = {
  en: {
    frameTitle: 'Connect your bank account',
    loading: 'Loading the secure bank connection…',
    close: 'Close',
    required: 'Connect your bank account to continue',
    outcomes: {
      connected: 'Your bank account is connected.',
      closed: 'You closed the bank connection, so no account was connected. You can start again whenever you are ready.',
      expired: 'The bank connection timed out for your security, and no account was connected. Please start again.',
      error: 'The bank connection could not be loaded. Please check your internet connection and try again.',
    },
    unavailable: 'The bank connection is not available on this page right now. Please try again later, or contact us.',
    errors: {
      pending: 'Your bank is still processing this request. There is no need to start again.',
      credentials: 'Your bank did not accept the username or password. Please check them and try again.',
      mfa: 'Your bank did not accept the answer to its security question. Please check it and try again.',
      mfaFinal: 'Your bank did not accept the answer to its security question and allows no more attempts. Please start again later.',
      institution: 'This bank cannot be reached right now. Please try again later, or choose another bank.',
      session: 'Your session expired. Please start again.',
      busy: 'Too many attempts. Please wait a moment and try again.',
      concurrent: 'This bank account is already being connected in another window. Please finish or close it there first.',
      bankAction: 'Your bank needs you to do something in your online banking first, such as accepting new terms. Please do that, then try again.',
      disabled: 'Your bank has deactivated this online banking access. Please contact your bank.',
      noTransactions: 'Your bank reports no transactions for this account. You can connect another account.',
      generic: 'Something went wrong while connecting to your bank. Please try again.',
    },
  },
  fr: {
    frameTitle: 'Connectez votre compte bancaire',
    loading: 'Chargement de la connexion bancaire sécurisée…',
    close: 'Fermer',
    required: 'Connectez votre compte bancaire pour continuer',
    outcomes: {
      connected: 'Votre compte bancaire est connecté.',
      closed: 'Vous avez fermé la connexion bancaire\u00a0: aucun compte n’a été connecté. Vous pouvez recommencer quand vous le souhaitez.',
      expired: 'La connexion bancaire a expiré pour votre sécurité, et aucun compte n’a été connecté. Veuillez recommencer.',
      error: 'La connexion bancaire n’a pas pu être chargée. Veuillez vérifier votre connexion Internet et réessayer.',
    },
    unavailable: 'La connexion bancaire n’est pas disponible sur cette page pour le moment. Veuillez réessayer plus tard ou communiquer avec nous.',
    errors: {
      pending: 'Votre banque traite encore cette demande. Inutile de recommencer.',
      credentials: 'Votre banque n’a pas accepté le nom d’utilisateur ou le mot de passe. Veuillez les vérifier et réessayer.',
      mfa: 'Votre banque n’a pas accepté la réponse à sa question de sécurité. Veuillez la vérifier et réessayer.',
      mfaFinal: 'Votre banque n’a pas accepté la réponse à sa question de sécurité et ne permet plus d’essai. Veuillez recommencer plus tard.',
      institution: 'Cette banque est injoignable pour le moment. Veuillez réessayer plus tard ou choisir une autre banque.',
      session: 'Votre session a expiré. Veuillez recommencer.',
      busy: 'Trop de tentatives. Veuillez patienter un instant, puis réessayer.',
      concurrent: 'Ce compte bancaire est déjà en cours de connexion dans une autre fenêtre. Veuillez d’abord terminer ou fermer celle-ci.',
      bankAction: 'Votre banque vous demande d’abord une action dans vos services bancaires en ligne, par exemple accepter de nouvelles conditions. Faites-la, puis réessayez.',
      disabled: 'Votre banque a désactivé cet accès aux services bancaires en ligne. Veuillez communiquer avec votre banque.',
      noTransactions: 'Votre banque n’indique aucune transaction pour ce compte. Vous pouvez connecter un autre compte.',
      generic: 'Un problème est survenu lors de la connexion à votre banque. Veuillez réessayer.',
    },
  },
};
