declare const __FINFRAME_DEV__: boolean | undefined;

/**
 * True in the development build (the `development` export condition) and when the sources run
 * directly, as in the tests; the production build replaces the flag with `false` so every
 * `if (DEV)` block is removed by the minifier.
 */
export const DEV: boolean = typeof __FINFRAME_DEV__ === 'undefined' ? true : __FINFRAME_DEV__;

const warned = new Set<string>();

/**
 * Warns once per key for the lifetime of the page. Callers pass only what is safe to print:
 * never message data, which may carry a `loginId` or a token.
 */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(`[finframe] ${message}`);
}
