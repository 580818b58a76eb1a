import { html } from 'lit/html.js';
import type { BenjiText, FlexitiText, FlinksText } from './types.js';

export const flinks: FlinksText = {
  frameTitle: 'Connectez votre compte bancaire',
  loading: 'Chargement de la connexion bancaire sécurisée…',
  close: 'Fermer',
  required: 'Connectez votre compte bancaire pour continuer',
  outcomes: {
    connected: 'Votre compte bancaire est connecté.',
    closed: 'Vous avez fermé la connexion bancaire. Vous pouvez recommencer quand vous le souhaitez.',
    expired: 'Votre session a expiré pour votre sécurité. Veuillez recommencer.',
    error: 'La connexion bancaire n’a pas pu être chargée. Veuillez réessayer dans un instant.',
  },
  errors: {
    credentials: 'Votre banque n’a pas accepté le nom d’utilisateur ou le mot de passe.',
    mfa: 'La réponse de sécurité n’a pas été acceptée.',
    institution: 'Cette banque n’est pas disponible pour le moment. Veuillez réessayer plus tard.',
    session: 'Votre session a expiré. Veuillez recommencer.',
    busy: 'Trop de tentatives. Veuillez patienter un instant, puis réessayer.',
    bankAction: 'Votre banque vous demande d’abord de vous connecter à vos services bancaires en ligne.',
    generic: 'Un problème est survenu lors de la connexion à votre banque.',
  },
};

export const flexiti: FlexitiText = {
  frameTitle: 'Payer avec le financement Flexiti',
  loading: 'Chargement du financement Flexiti…',
  close: 'Fermer',
  required: 'Terminez le financement Flexiti pour continuer',
  outcomes: {
    verified: 'Votre compte Flexiti est vérifié. Nous finalisons votre achat.',
    'not-verified': 'Nous n’avons pas pu vérifier votre compte Flexiti. Veuillez choisir un autre mode de paiement.',
    'existing-account': 'Vous avez déjà un compte Flexiti. Continuez pour payer avec celui-ci.',
    // A pure IIFE: a bare tagged template would keep this text in every other element's bundle.
    'activation-required': /* @__PURE__ */ (() => html`Votre compte Flexiti doit d’abord être activé.
      <a href="https://my.flexiti.com/index" target="_blank" rel="noopener noreferrer">Activez-le dans le portail client Flexiti</a>
      (s’ouvre dans un nouvel onglet), puis revenez pour finaliser votre achat.`)(),
    apply: 'Vous pouvez demander un financement Flexiti. Continuez pour commencer votre demande.',
    'not-eligible': 'Le financement Flexiti n’est pas offert pour cet achat. Veuillez choisir un autre mode de paiement.',
    retry: 'Un problème est survenu chez Flexiti. Veuillez réessayer, ou revenir en arrière et choisir un autre mode de paiement.',
    cancelled: 'Vous avez annulé le financement Flexiti. Vous pouvez choisir un autre mode de paiement.',
    error: 'Le financement Flexiti n’a pas pu être chargé. Veuillez réessayer, ou choisir un autre mode de paiement.',
  },
  applySubmit: 'Merci. Nous soumettons votre demande Flexiti.',
  failure: 'Le widget Flexiti a signalé une erreur.',
};

export const benji: BenjiText = {
  frameTitle: 'Connectez votre compte de fidélité avec Benji',
  loading: 'Chargement de Benji Connect…',
  close: 'Fermer',
  required: 'Connectez votre compte de fidélité pour continuer',
  outcomes: {
    success: 'Votre compte de fidélité est connecté.',
    exit: 'Vous avez fermé Benji Connect. Vous pouvez connecter votre compte de fidélité à tout moment.',
    error: 'Benji Connect a rencontré un problème. Veuillez réessayer plus tard.',
  },
  failure: 'Benji Connect a signalé une erreur.',
};
