// Generated from custom-elements.json by `node scripts/framework-types.mjs` (`npm run docs`). Do not edit.
// What each finframe tag takes and fires, for the framework typings beside this file.
import type { BenjiConnectElement, FinapiWebFormElement, FlexPayStatusElement, FlexitiWidgetElement, FlinksConnectElement, ProviderErrorEvent, ProviderEventEvent, ProviderOutcomeEvent, ProviderReadyEvent } from '../dist/index.js';

/** The element class of each tag. */
export interface FinframeElements {
  'benji-connect': BenjiConnectElement;
  'finapi-web-form': FinapiWebFormElement;
  'flexiti-widget': FlexitiWidgetElement;
  'flexpay-status': FlexPayStatusElement;
  'flinks-connect': FlinksConnectElement;
}

/** The properties a template may set (camelCase; tokens belong here, never in attributes). */
export interface FinframeProperties {
  'benji-connect': {
    /** The connect token from your server. Set the property: it is never written to an attribute of the element (Benji takes it in the frame URL, so it is in the `src` of the `<iframe>` inside the open shadow root, as with the official SDK). The `token` attribute is read when the property is not set. */
    token?: BenjiConnectElement['token'];
    /** `production`, `sandbox` (default) or `development` (loopback: development build or `allowLoopback()` only). */
    environment?: BenjiConnectElement['environment'];
    /** Modal unless `inline`: the frame is created on `open()`. */
    modal?: BenjiConnectElement['modal'];
    /** The frame URL. Optional: without it the element builds the URL from its other attributes. Accepted only as `https:` on one of the provider's hosts; on a loopback host only in the development build or after `allowLoopback()`. */
    src?: BenjiConnectElement['src'];
    /** The frame's accessible title (attribute `frame-title`). Defaults to a localized description of the flow. */
    frameTitle?: BenjiConnectElement['frameTitle'];
    /** Milliseconds (attribute `load-timeout`, default 30000) to wait for the first trusted message before a fatal `LOAD_TIMEOUT`. */
    loadTimeout?: BenjiConnectElement['loadTimeout'];
    /** Where the element asks your server for its session (attribute `session-url`), when neither the token nor `src` was given: `POST` with the page's cookies, a JSON body `{element, lang, context}` (`context`: the element's `data-*` attributes), at the start of every session. Same-origin or `https:`. */
    sessionUrl?: BenjiConnectElement['sessionUrl'];
    /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
    name?: BenjiConnectElement['name'];
    /** The form cannot be submitted until a successful outcome (attribute `required`). */
    required?: BenjiConnectElement['required'];
    /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
    submitOn?: BenjiConnectElement['submitOn'];
  };
  'finapi-web-form': {
    /** The web form token from your server. Set the property: it is never written to an attribute. (finAPI's loader still puts it in the URL of the `<script>` it adds to `document.body`, as it must.) The `token` attribute is read when the property is not set. A new token starts a new web form. */
    token?: FinapiWebFormElement['token'];
    /** Where the element asks your server for the web form token (attribute `session-url`), when `token` is not set: `POST` with the page's cookies, a JSON body `{element, lang, context}` (`context`: the element's `data-*` attributes), at the start of every session. Same-origin or `https:`. */
    sessionUrl?: FinapiWebFormElement['sessionUrl'];
    /** `live` (default) or `sandbox`. */
    environment?: FinapiWebFormElement['environment'];
    /** Another finAPI web form server (attribute `target-url`); wins over `environment`. */
    targetUrl?: FinapiWebFormElement['targetUrl'];
    /** finAPI's `layoutConfig`: `xs` … `lg` (attribute `layout`), or custom breakpoints `{xs, sm, md, lg, xl}`. */
    layoutConfig?: FinapiWebFormElement['layoutConfig'];
    /** `dark` or `light` (attribute `color-mode`). */
    colorMode?: FinapiWebFormElement['colorMode'];
    /** Milliseconds (attribute `load-timeout`, default 30000) to wait for finAPI's `loaded` before a fatal `LOAD_TIMEOUT`. */
    loadTimeout?: FinapiWebFormElement['loadTimeout'];
    /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
    name?: FinapiWebFormElement['name'];
    /** The form cannot be submitted until a successful outcome (attribute `required`). */
    required?: FinapiWebFormElement['required'];
    /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
    submitOn?: FinapiWebFormElement['submitOn'];
  };
  'flexiti-widget': {
    /** `purchase` (default) or `apply`: the flow your server passed to `widget/init`. */
    flow?: FlexitiWidgetElement['flow'];
    /** The frame URL. Optional: without it the element builds the URL from its other attributes. Accepted only as `https:` on one of the provider's hosts; on a loopback host only in the development build or after `allowLoopback()`. */
    src?: FlexitiWidgetElement['src'];
    /** The frame's accessible title (attribute `frame-title`). Defaults to a localized description of the flow. */
    frameTitle?: FlexitiWidgetElement['frameTitle'];
    /** Milliseconds (attribute `load-timeout`, default 30000) to wait for the first trusted message before a fatal `LOAD_TIMEOUT`. */
    loadTimeout?: FlexitiWidgetElement['loadTimeout'];
    /** Where the element asks your server for its session (attribute `session-url`), when neither the token nor `src` was given: `POST` with the page's cookies, a JSON body `{element, lang, context}` (`context`: the element's `data-*` attributes), at the start of every session. Same-origin or `https:`. */
    sessionUrl?: FlexitiWidgetElement['sessionUrl'];
    /** Show the frame in a native modal `<dialog>`, opened with `open()`. The frame is created on the first `open()`. */
    modal?: FlexitiWidgetElement['modal'];
    /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
    name?: FlexitiWidgetElement['name'];
    /** The form cannot be submitted until a successful outcome (attribute `required`). */
    required?: FlexitiWidgetElement['required'];
    /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
    submitOn?: FlexitiWidgetElement['submitOn'];
  };
  'flexpay-status': {
    /** Your order's reference. */
    reference?: FlexPayStatusElement['reference'];
    /** Your status endpoint. */
    src?: FlexPayStatusElement['src'];
    /** The one other origin `src` may be on (attribute `status-origin`); unset: same-origin only. */
    statusOrigin?: FlexPayStatusElement['statusOrigin'];
    /** Milliseconds between polls when streaming is unavailable (attribute `poll-interval`, default 5000, at least 1000). */
    pollInterval?: FlexPayStatusElement['pollInterval'];
    /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
    name?: FlexPayStatusElement['name'];
    /** The form cannot be submitted until a successful outcome (attribute `required`). */
    required?: FlexPayStatusElement['required'];
    /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
    submitOn?: FlexPayStatusElement['submitOn'];
  };
  'flinks-connect': {
    /** Your Flinks instance (`toolbox`, the default, is the sandbox): the frame is `https://{instance}-iframe.private.fin.ag/v2/`. */
    instance?: FlinksConnectElement['instance'];
    /** The `authorizeToken` your server obtained from Flinks (mandatory for integrations created since Oct 2024; valid 15 minutes). Set the property: it is never written to an attribute of the element. The `authorize-token` attribute is read when the property is not set. Either way the token travels in the frame's URL, as Flinks requires, so it is in the `src` of the `<iframe>` inside the (open) shadow root: short-lived by design, but not hidden from scripts on the page. */
    authorizeToken?: FlinksConnectElement['authorizeToken'];
    /** A `requestId` (attribute `request-id`) to resume a session within 8 minutes of inactivity. */
    requestId?: FlinksConnectElement['requestId'];
    /** The frame URL. Optional: without it the element builds the URL from its other attributes. Accepted only as `https:` on one of the provider's hosts; on a loopback host only in the development build or after `allowLoopback()`. */
    src?: FlinksConnectElement['src'];
    /** The frame's accessible title (attribute `frame-title`). Defaults to a localized description of the flow. */
    frameTitle?: FlinksConnectElement['frameTitle'];
    /** Milliseconds (attribute `load-timeout`, default 30000) to wait for the first trusted message before a fatal `LOAD_TIMEOUT`. */
    loadTimeout?: FlinksConnectElement['loadTimeout'];
    /** Where the element asks your server for its session (attribute `session-url`), when neither the token nor `src` was given: `POST` with the page's cookies, a JSON body `{element, lang, context}` (`context`: the element's `data-*` attributes), at the start of every session. Same-origin or `https:`. */
    sessionUrl?: FlinksConnectElement['sessionUrl'];
    /** Show the frame in a native modal `<dialog>`, opened with `open()`. The frame is created on the first `open()`. */
    modal?: FlinksConnectElement['modal'];
    /** The form field name (attribute `name`): after an outcome the form posts `name[outcome]` and the outcome's fields. */
    name?: FlinksConnectElement['name'];
    /** The form cannot be submitted until a successful outcome (attribute `required`). */
    required?: FlinksConnectElement['required'];
    /** Outcomes after which the element submits its form (attribute `submit-on`, space-separated). */
    submitOn?: FlinksConnectElement['submitOn'];
  };
}

/** The attributes that have no property of the same name (kebab-case, as written in HTML). */
export interface FinframeAttributes {
  'benji-connect': {
    /** Render the frame in the page flow instead of a modal dialog. */
    'inline'?: boolean;
    /** Where the element asks your server for the connect token (`{"token": "…"}`, and optionally `{"src": "…"}`) at the start of every session, when neither `token` nor `src` is set: a `POST` with the page's cookies. Same-origin or `https:`. */
    'session-url'?: string;
    /** Language of the built-in text (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`. */
    'lang'?: string;
    /** The frame's accessible title (and the dialog's name). */
    'frame-title'?: string;
    /** Milliseconds to wait for Benji's frame to load (default 30000). */
    'load-timeout'?: number;
    /** Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers. */
    'submit-on'?: string;
  };
  'finapi-web-form': {
    /** Where the element asks your server for the web form token (answered as `{"token": "…"}`) at the start of every session, when `token` is not set: a `POST` with the page's cookies. Same-origin or `https:`. */
    'session-url'?: string;
    /** Another finAPI web form server instead: `https://` on `*.finapi.io` or `*.finapi.net`, or `http://localhost:PORT` only in development — the development build, or after `allowLoopback()` (finAPI's loader refuses `127.0.0.1`). finAPI's script from this server runs in your page. */
    'target-url'?: string;
    /** The web form's language (cs, de, en, es, fr, it, nl, pl, ro, sk, tr) and of the built-in text; defaults to the closest `[lang]`, then `<html lang>` (the built-in text then falls back to English, and finAPI chooses the form's). */
    'lang'?: string;
    /** Force one of finAPI's layouts (the `layoutConfig` property also takes custom breakpoints). */
    'layout'?: 'xs' | 'sm' | 'md' | 'lg';
    /** The web form's initial colour mode. */
    'color-mode'?: 'dark' | 'light';
    /** Remove the web form's outer margins. */
    'no-margins'?: boolean;
    /** Stretch the web form to its container's height (every ancestor needs a height). */
    'fill-height'?: boolean;
    /** Offer a link to your customer support when the web form ends in an error. */
    'customer-support-url'?: string;
    /** For native apps: where finAPI sends the user back after a bank's redirect. */
    'back-to-app-url'?: string;
    /** The accessible name of the region around the web form. */
    'form-title'?: string;
    /** Milliseconds to wait for finAPI's `loaded` (default 30000). */
    'load-timeout'?: number;
    /** Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers. */
    'submit-on'?: string;
  };
  'flexiti-widget': {
    /** Where the element asks your server for the `redirection_url` (answered as `{"src": "…"}`) at the start of every session, when `src` is not set: a `POST` with the page's cookies. Same-origin or `https:`. */
    'session-url'?: string;
    /** Language of the built-in text (`en`, `fr`), also written into the URL's `lang` when it has none; defaults to the closest `[lang]`, then `<html lang>`, then `en`. */
    'lang'?: string;
    /** The frame's accessible title. */
    'frame-title'?: string;
    /** Milliseconds to wait for the frame to load (default 30000). Flexiti posts nothing until the shopper is done, so the frame's load event counts as ready. */
    'load-timeout'?: number;
    /** Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers. */
    'submit-on'?: string;
  };
  'flexpay-status': {
    /** Opt-in for a status endpoint on another origin: exactly that origin (`https://status.shop.example`), `https:` only (loopback also `http:`, in the development build or after `allowLoopback()` only). */
    'status-origin'?: string;
    /** Milliseconds between polls when streaming is unavailable (default 5000, at least 1000). */
    'poll-interval'?: number;
    /** Language of the built-in text (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`. */
    'lang'?: string;
    /** Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers. */
    'submit-on'?: string;
  };
  'flinks-connect': {
    /** Prefer the `authorizeToken` property: an attribute is visible to every script on the page. */
    'authorize-token'?: string;
    /** Resume a session (`requestId`). */
    'request-id'?: string;
    /** Where the element asks your server for the `authorizeToken` (`{"token": "…"}`, or a whole frame URL as `{"src": "…"}`) at the start of every session, when neither `authorizeToken` nor `src` is set: a `POST` with the page's cookies. Same-origin or `https:`. */
    'session-url'?: string;
    /** The frame's accessible title. */
    'frame-title'?: string;
    /** Milliseconds to wait for Flinks' first message (default 30000). */
    'load-timeout'?: number;
    /** Language of the built-in text and of Flinks (`en`, `fr`); defaults to the closest `[lang]`, then `<html lang>`, then `en`. */
    'lang'?: string;
    /** Show Flinks' test bank "Flinks Capital" (`demo=true`). */
    'demo'?: boolean;
    /** Simulate an OAuth popup (`demoOutbound`). */
    'demo-outbound'?: boolean;
    /** Show Flinks' close button (`closeEnable`); a click ends with outcome `closed`. */
    'close-enable'?: boolean;
    /** `headerEnable`. */
    'header-enable'?: boolean;
    /** `headerImgEnable`. */
    'header-img-enable'?: boolean;
    /** `backEnable`. */
    'back-enable'?: boolean;
    /** `staticLoadingEnable`. */
    'static-loading-enable'?: boolean;
    /** `removePadding`. */
    'remove-padding'?: boolean;
    /** `institutionFilterEnable`. */
    'institution-filter-enable'?: boolean;
    /** `consentEnable`. */
    'consent-enable'?: boolean;
    /** `redirectUrl`: an absolute `https:` URL on a domain you control (Flinks appends the `loginId` to it); loopback only in development. */
    'redirect-url'?: string;
    /** `innerRedirect`. */
    'inner-redirect'?: boolean;
    /** `jsRedirect`. */
    'js-redirect'?: boolean;
    /** `termsUrl`: an absolute `https:` URL; loopback only in development. */
    'terms-url'?: string;
    /** `enhancedMFA`. */
    'enhanced-mfa'?: boolean;
    /** `skipEnhancedMFA`. */
    'skip-enhanced-mfa'?: boolean;
    /** `accountSelectorEnable`. */
    'account-selector-enable'?: boolean;
    /** `accountSelectorMultiple`. */
    'account-selector-multiple'?: boolean;
    /** `showAllAccounts`. */
    'show-all-accounts'?: boolean;
    /** `showAllOperationsAccounts`. */
    'show-all-operations-accounts'?: boolean;
    /** `daysOfTransactions`. */
    'days-of-transactions'?: 'Days90' | 'Days365';
    /** `monthsOfStatements`. */
    'months-of-statements'?: 'Months12' | 'MostRecent';
    /** `detailsAndStatementEnable`. */
    'details-and-statement-enable'?: boolean;
    /** `withTransactions`. */
    'with-transactions'?: boolean;
    /** `scheduleRefresh`. */
    'schedule-refresh'?: boolean;
    /** `tag`: your own label for the session. */
    'tag'?: string;
    /** `productType`. */
    'product-type'?: 'banking' | 'investment';
    /** `maximumRetry`. */
    'maximum-retry'?: number;
    /** `customerName`. */
    'customer-name'?: string;
    /** `theme`. */
    'theme'?: string;
    /** `backgroundColor`. */
    'background-color'?: string;
    /** `foregroundColor1`. */
    'foreground-color1'?: string;
    /** `desktopLayout`. */
    'desktop-layout'?: boolean;
    /** `stringify`: Flinks posts JSON strings; both forms are accepted either way. */
    'stringify'?: boolean;
    /** `webview`. */
    'webview'?: boolean;
    /** `oauthWindowRedirect`. */
    'oauth-window-redirect'?: boolean;
    /** Outcomes (space-separated) after which the element submits its form, through the form's own validation and submit handlers. */
    'submit-on'?: string;
  };
}

/** The events each tag fires, by name. */
export interface FinframeEvents {
  'benji-connect': {
    /** Benji's frame loaded (Benji documents no "loaded" message). */
    'provider-ready': ProviderReadyEvent;
    /** `AUTH_SUCCESS`, `EVENT`, `user_partner_select` and the other informational types (`detail.name` is the type), and `FLOW_EXIT` after a success. */
    'provider-event': ProviderEventEvent;
    /** `success` (with the access token), `exit` (`{step, trigger}`) or `error`; cancelable. */
    'provider-outcome': ProviderOutcomeEvent;
    /** Benji's `ERROR` (fatal; `code` is the error name, `data.error_id` for Benji support), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`. */
    'provider-error': ProviderErrorEvent;
  };
  'finapi-web-form': {
    /** finAPI's `loaded`: the web form rendered. */
    'provider-ready': ProviderReadyEvent;
    /** `completed`, `failed` (`data.error`: finAPI's `OnFailError`, when Web Form 2.1 sends one), `aborted`, or `error`; cancelable. */
    'provider-outcome': ProviderOutcomeEvent;
    /** `INVALID_CONFIG` (no token, a bad attribute), `SESSION_FAILED` (`session-url` gave no token; `data.status`), `ALREADY_OPEN` (another web form is open on the page), `LOAD_FAILED` (finAPI's script did not load), `LOAD_TIMEOUT` — all fatal — or `INVALID_MESSAGE` (a `fail` detail outside finAPI's documented shape; the outcome is still `failed`). */
    'provider-error': ProviderErrorEvent;
  };
  'flexiti-widget': {
    /** The widget's frame loaded. */
    'provider-ready': ProviderReadyEvent;
    /** Not used by Flexiti: every message it sends ends the flow. */
    'provider-event': ProviderEventEvent;
    /** `{provider:'flexiti', outcome, nextStep, data}`; cancelable. */
    'provider-outcome': ProviderOutcomeEvent;
    /** `FLEXITI_FAILURE` (a `flx-failure`, fatal), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`. */
    'provider-error': ProviderErrorEvent;
  };
  'flexpay-status': {
    /** The first status report arrived (possibly "no status yet"). */
    'provider-ready': ProviderReadyEvent;
    /** Each change of FlexPay's status: `name` is `PENDING`, `SUCCESSFUL` or `FAILED`, `data` the report. */
    'provider-event': ProviderEventEvent;
    /** `successful` or `failed` (final statuses), or `error`; cancelable. */
    'provider-outcome': ProviderOutcomeEvent;
    /** `INVALID_CONFIG`, `STATUS_REFUSED` (the endpoint answered 400/401/403/404; fatal), `STREAM_UNAVAILABLE` (not fatal: the element polls instead), `INVALID_MESSAGE`. */
    'provider-error': ProviderErrorEvent;
  };
  'flinks-connect': {
    /** Flinks' first message arrived. */
    'provider-ready': ProviderReadyEvent;
    /** A Flinks `step`: `detail.name` is the step, `detail.data` its metadata. */
    'provider-event': ProviderEventEvent;
    /** `connected` (with `loginId`), `closed`, `expired` or `error`; cancelable. */
    'provider-outcome': ProviderOutcomeEvent;
    /** A Flinks API event (`code` = `flinksCode`, `data.httpStatus`), `INVALID_CONFIG`, `SESSION_FAILED` (`session-url` gave no session; `data.status`), `LOAD_TIMEOUT` or `INVALID_MESSAGE`. */
    'provider-error': ProviderErrorEvent;
  };
}

export type FinframeTag = keyof FinframeElements;
