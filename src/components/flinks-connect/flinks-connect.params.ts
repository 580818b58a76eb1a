import { checkLinkUrl } from '../../internal/url.js';

/**
 * Flinks Connect's documented customization parameters (docs/providers/flinks.md). Each is an attribute
 * named in kebab-case after the parameter (`consentEnable` → `consent-enable`, `enhancedMFA` →
 * `enhanced-mfa`). Grouped by kind to keep the table small in the bundle.
 */
const BOOLEAN =
  'demo demoOutbound closeEnable headerEnable headerImgEnable backEnable staticLoadingEnable removePadding ' +
  'institutionFilterEnable consentEnable innerRedirect jsRedirect enhancedMFA skipEnhancedMFA accountSelectorEnable ' +
  'accountSelectorMultiple showAllAccounts showAllOperationsAccounts detailsAndStatementEnable withTransactions ' +
  'scheduleRefresh desktopLayout stringify webview oauthWindowRedirect';
const URLS = 'redirectUrl termsUrl';
const TEXT = 'tag customerName theme backgroundColor foregroundColor1';
const ENUMS: Record<string, readonly string[]> = {
  daysOfTransactions: ['Days90', 'Days365'],
  monthsOfStatements: ['Months12', 'MostRecent'],
  productType: ['banking', 'investment'],
};

/** `b` boolean (`""`/`"true"` → true, `"false"` → false), `u` absolute https URL (`checkLinkUrl`), `i` whole number, `t` text, or the accepted values. */
export type Kind = 'b' | 'u' | 'i' | 't' | readonly string[];

const kebab = (name: string) => name.replace(/[A-Z]+(?![a-z])|[A-Z]/g, (m) => `-${m.toLowerCase()}`);

/** `[attribute, parameter, kind]` for every parameter. */
export const FLINKS_PARAMS: ReadonlyArray<readonly [attribute: string, parameter: string, kind: Kind]> = [
  ...BOOLEAN.split(' ').map((p) => [p, 'b'] as const),
  ...URLS.split(' ').map((p) => [p, 'u'] as const),
  ...TEXT.split(' ').map((p) => [p, 't'] as const),
  ['maximumRetry', 'i'] as const,
  ...Object.entries(ENUMS),
].map(([parameter, kind]) => [kebab(parameter), parameter, kind] as const);

/** The value to send, or `undefined` if `value` is not valid for `kind`. */
export function paramValue(kind: Kind, value: string): string | undefined {
  const v = value.trim();
  if (kind === 'b') return v === '' || v === 'true' ? 'true' : v === 'false' ? 'false' : undefined;
  if (kind === 'i') return /^\d{1,4}$/.test(v) ? v : undefined;
  if (kind === 't') return v && v.length <= 256 ? v : undefined;
  if (kind === 'u') {
    const link = checkLinkUrl(v);
    return link.ok ? link.url.href : undefined;
  }
  return kind.includes(v) ? v : undefined;
}

export function describeKind(kind: Kind): string {
  return kind === 'b'
    ? 'true, false, or empty'
    : kind === 'i'
      ? 'a whole number'
      : kind === 'u'
        ? 'an absolute https: URL'
        : kind === 't'
          ? '1 to 256 characters'
          : `one of ${kind.join(', ')}`;
}
