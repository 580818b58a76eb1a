import type { FlinksText } from './types.js';

export const flinks: FlinksText = {
  frameTitle: 'Connectez votre compte bancaire',
  loading: 'Chargement de la connexion bancaire sécurisée…',
  close: 'Fermer',
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
