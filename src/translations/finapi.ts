import type { FinapiLanguage } from '../components/finapi-web-form/finapi-web-form.schema.js';
import type { FinapiText } from './types.js';

/**
 * `<finapi-web-form>`'s built-in text in every language finAPI's web form speaks, so the text
 * around the form is in the form's language. Plain text, no lit-html. Typography: French puts a
 * no-break space before `:`; Czech, Polish and Slovak keep a one-letter word off the end of a
 * line with a no-break space after it.
 */
export const finapiText: Record<FinapiLanguage, FinapiText> = {
  en: {
    label: 'Bank connection with finAPI',
    loading: 'Loading the secure finAPI web form…',
    required: 'Complete the secure bank form to continue',
    outcomes: {
      completed: 'Done. Your request with your bank is complete.',
      failed: 'Your request with your bank could not be completed. Please try again, or contact us if it keeps happening.',
      aborted: 'You cancelled before finishing, so your request was not completed. You can start again whenever you are ready.',
      error: 'The secure bank form could not be loaded. Please check your internet connection and try again.',
    },
    alreadyOpen: 'Another bank form is already open on this page. Please finish or close it first, then try again.',
    unavailable: 'The secure bank form is not available on this page right now. Please try again later, or contact us.',
  },
  de: {
    label: 'Bankverbindung mit finAPI',
    loading: 'Das sichere finAPI-Formular wird geladen…',
    required: 'Schließen Sie das sichere Bankformular ab, um fortzufahren',
    outcomes: {
      completed: 'Fertig. Ihr Auftrag bei Ihrer Bank ist abgeschlossen.',
      failed: 'Ihr Auftrag bei Ihrer Bank konnte nicht abgeschlossen werden. Bitte versuchen Sie es erneut, oder kontaktieren Sie uns, falls das Problem weiterhin besteht.',
      aborted: 'Sie haben vor dem Ende abgebrochen, daher wurde Ihr Auftrag nicht abgeschlossen. Sie können jederzeit neu beginnen.',
      error: 'Das sichere Bankformular konnte nicht geladen werden. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
    },
    alreadyOpen: 'Auf dieser Seite ist bereits ein anderes Bankformular geöffnet. Bitte füllen Sie es zuerst fertig aus oder schließen Sie es, und versuchen Sie es dann erneut.',
    unavailable: 'Das sichere Bankformular ist auf dieser Seite derzeit nicht verfügbar. Bitte versuchen Sie es später erneut, oder kontaktieren Sie uns.',
  },
  fr: {
    label: 'Connexion bancaire avec finAPI',
    loading: 'Chargement du formulaire sécurisé finAPI…',
    required: 'Remplissez le formulaire bancaire sécurisé pour continuer',
    outcomes: {
      completed: 'Terminé. Votre demande auprès de votre banque est finalisée.',
      failed: 'Votre demande auprès de votre banque n’a pas pu aboutir. Veuillez réessayer, ou nous contacter si le problème persiste.',
      aborted: 'Vous avez annulé avant la fin\u00a0: votre demande n’a pas été finalisée. Vous pouvez recommencer quand vous le souhaitez.',
      error: 'Le formulaire bancaire sécurisé n’a pas pu être chargé. Veuillez vérifier votre connexion Internet et réessayer.',
    },
    alreadyOpen: 'Un autre formulaire bancaire est déjà ouvert sur cette page. Veuillez d’abord le terminer ou le fermer, puis réessayer.',
    unavailable: 'Le formulaire bancaire sécurisé n’est pas disponible sur cette page pour le moment. Veuillez réessayer plus tard ou nous contacter.',
  },
  cs: {
    label: 'Propojení s\u00a0bankou přes finAPI',
    loading: 'Načítá se zabezpečený formulář finAPI…',
    required: 'Pro pokračování dokončete zabezpečený bankovní formulář',
    outcomes: {
      completed: 'Hotovo. Váš požadavek u\u00a0banky byl dokončen.',
      failed: 'Váš požadavek u\u00a0banky se nepodařilo dokončit. Zkuste to prosím znovu, nebo nás kontaktujte, pokud se to bude opakovat.',
      aborted: 'Akci jste zrušili před dokončením, váš požadavek proto nebyl dokončen. Začít znovu můžete kdykoli.',
      error: 'Zabezpečený bankovní formulář se nepodařilo načíst. Zkontrolujte prosím připojení k\u00a0internetu a\u00a0zkuste to znovu.',
    },
    alreadyOpen: 'Na této stránce je již otevřený jiný bankovní formulář. Nejprve ho prosím dokončete nebo zavřete a\u00a0pak to zkuste znovu.',
    unavailable: 'Zabezpečený bankovní formulář teď na této stránce není k\u00a0dispozici. Zkuste to prosím později, nebo nás kontaktujte.',
  },
  es: {
    label: 'Conexión bancaria con finAPI',
    loading: 'Cargando el formulario seguro de finAPI…',
    required: 'Complete el formulario bancario seguro para continuar',
    outcomes: {
      completed: 'Listo. Su solicitud ante su banco se ha completado.',
      failed: 'No se ha podido completar su solicitud ante su banco. Inténtelo de nuevo o contáctenos si vuelve a ocurrir.',
      aborted: 'Ha cancelado antes de terminar, así que su solicitud no se ha completado. Puede volver a empezar cuando quiera.',
      error: 'No se ha podido cargar el formulario bancario seguro. Compruebe su conexión a internet e inténtelo de nuevo.',
    },
    alreadyOpen: 'Ya hay otro formulario bancario abierto en esta página. Termínelo o ciérrelo primero y vuelva a intentarlo.',
    unavailable: 'El formulario bancario seguro no está disponible en esta página en este momento. Inténtelo más tarde o contáctenos.',
  },
  it: {
    label: 'Collegamento bancario con finAPI',
    loading: 'Caricamento del modulo sicuro di finAPI…',
    required: 'Completi il modulo bancario sicuro per continuare',
    outcomes: {
      completed: 'Fatto. La sua richiesta presso la sua banca è stata completata.',
      failed: 'Non è stato possibile completare la sua richiesta presso la sua banca. Riprovi oppure ci contatti se il problema si ripete.',
      aborted: 'Ha annullato prima di terminare, quindi la sua richiesta non è stata completata. Può ricominciare quando vuole.',
      error: 'Non è stato possibile caricare il modulo bancario sicuro. Controlli la connessione a internet e riprovi.',
    },
    alreadyOpen: 'In questa pagina è già aperto un altro modulo bancario. Lo completi o lo chiuda prima, poi riprovi.',
    unavailable: 'Il modulo bancario sicuro non è al momento disponibile in questa pagina. Riprovi più tardi oppure ci contatti.',
  },
  nl: {
    label: 'Bankkoppeling met finAPI',
    loading: 'Het beveiligde finAPI-formulier wordt geladen…',
    required: 'Rond het beveiligde bankformulier af om verder te gaan',
    outcomes: {
      completed: 'Klaar. Uw verzoek bij uw bank is afgerond.',
      failed: 'Uw verzoek bij uw bank kon niet worden afgerond. Probeer het opnieuw, of neem contact met ons op als dit blijft gebeuren.',
      aborted: 'U hebt geannuleerd voordat u klaar was, dus uw verzoek is niet afgerond. U kunt opnieuw beginnen wanneer u wilt.',
      error: 'Het beveiligde bankformulier kon niet worden geladen. Controleer uw internetverbinding en probeer het opnieuw.',
    },
    alreadyOpen: 'Er is al een ander bankformulier geopend op deze pagina. Rond dat eerst af of sluit het, en probeer het daarna opnieuw.',
    unavailable: 'Het beveiligde bankformulier is op deze pagina nu niet beschikbaar. Probeer het later opnieuw, of neem contact met ons op.',
  },
  pl: {
    label: 'Połączenie z\u00a0bankiem przez finAPI',
    loading: 'Ładowanie bezpiecznego formularza finAPI…',
    required: 'Wypełnij bezpieczny formularz bankowy, aby kontynuować',
    outcomes: {
      completed: 'Gotowe. Twoje zlecenie w\u00a0banku zostało zrealizowane.',
      failed: 'Nie udało się zrealizować Twojego zlecenia w\u00a0banku. Spróbuj ponownie, a\u00a0jeśli problem się powtórzy, skontaktuj się z\u00a0nami.',
      aborted: 'Anulowano przed zakończeniem, więc zlecenie nie zostało zrealizowane. Możesz zacząć od nowa w\u00a0dowolnym momencie.',
      error: 'Nie udało się załadować bezpiecznego formularza bankowego. Sprawdź połączenie z\u00a0internetem i\u00a0spróbuj ponownie.',
    },
    alreadyOpen: 'Na tej stronie jest już otwarty inny formularz bankowy. Najpierw go dokończ lub zamknij, a\u00a0potem spróbuj ponownie.',
    unavailable: 'Bezpieczny formularz bankowy jest teraz niedostępny na tej stronie. Spróbuj ponownie później lub skontaktuj się z\u00a0nami.',
  },
  ro: {
    label: 'Conectare bancară prin finAPI',
    loading: 'Se încarcă formularul securizat finAPI…',
    required: 'Completați formularul bancar securizat pentru a continua',
    outcomes: {
      completed: 'Gata. Solicitarea dumneavoastră la bancă a fost finalizată.',
      failed: 'Solicitarea dumneavoastră la bancă nu a putut fi finalizată. Vă rugăm să încercați din nou sau să ne contactați dacă problema persistă.',
      aborted: 'Ați anulat înainte de final, așa că solicitarea nu a fost finalizată. Puteți începe din nou oricând doriți.',
      error: 'Formularul bancar securizat nu a putut fi încărcat. Vă rugăm să verificați conexiunea la internet și să încercați din nou.',
    },
    alreadyOpen: 'Pe această pagină este deja deschis un alt formular bancar. Vă rugăm să îl finalizați sau să îl închideți mai întâi, apoi să încercați din nou.',
    unavailable: 'Formularul bancar securizat nu este disponibil momentan pe această pagină. Vă rugăm să încercați mai târziu sau să ne contactați.',
  },
  sk: {
    label: 'Prepojenie s\u00a0bankou cez finAPI',
    loading: 'Načítava sa zabezpečený formulár finAPI…',
    required: 'Na pokračovanie dokončite zabezpečený bankový formulár',
    outcomes: {
      completed: 'Hotovo. Vaša požiadavka v\u00a0banke bola dokončená.',
      failed: 'Vašu požiadavku v\u00a0banke sa nepodarilo dokončiť. Skúste to, prosím, znova alebo nás kontaktujte, ak sa to bude opakovať.',
      aborted: 'Akciu ste zrušili pred dokončením, preto vaša požiadavka nebola dokončená. Začať znova môžete kedykoľvek.',
      error: 'Zabezpečený bankový formulár sa nepodarilo načítať. Skontrolujte, prosím, pripojenie na internet a\u00a0skúste to znova.',
    },
    alreadyOpen: 'Na tejto stránke je už otvorený iný bankový formulár. Najprv ho, prosím, dokončite alebo zatvorte a\u00a0potom to skúste znova.',
    unavailable: 'Zabezpečený bankový formulár teraz na tejto stránke nie je k\u00a0dispozícii. Skúste to, prosím, neskôr alebo nás kontaktujte.',
  },
  tr: {
    label: 'finAPI ile banka bağlantısı',
    loading: 'Güvenli finAPI formu yükleniyor…',
    required: 'Devam etmek için güvenli banka formunu tamamlayın',
    outcomes: {
      completed: 'İşlem başarılı. Bankanızdaki talebiniz tamamlandı.',
      failed: 'Bankanızdaki talebiniz tamamlanamadı. Lütfen tekrar deneyin; sorun devam ederse bizimle iletişime geçin.',
      aborted: 'İşlemi bitirmeden iptal ettiniz, bu yüzden talebiniz tamamlanmadı. İstediğiniz zaman yeniden başlayabilirsiniz.',
      error: 'Güvenli banka formu yüklenemedi. Lütfen internet bağlantınızı kontrol edip tekrar deneyin.',
    },
    alreadyOpen: 'Bu sayfada zaten başka bir banka formu açık. Lütfen önce onu tamamlayın veya kapatın, ardından tekrar deneyin.',
    unavailable: 'Güvenli banka formu şu anda bu sayfada kullanılamıyor. Lütfen daha sonra tekrar deneyin veya bizimle iletişime geçin.',
  },
};
