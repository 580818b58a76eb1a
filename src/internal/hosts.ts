// Every provider host an element accepts, in one module: the elements' host rules read these, and
// the Magento module's CSP whitelist (integrations/magento/etc/csp_whitelist.xml) is generated from
// them (integrations/magento/build.mjs), with a test holding the two equal.

/** Flinks: `https://{instance}-iframe.private.fin.ag`, the instance one DNS label. */
export const FLINKS_HOST_SUFFIX = '-iframe.private.fin.ag';

/** Flexiti's POS API hosts: production, training, merchant integration. Compared exactly. */
export const FLEXITI_HOSTS: readonly string[] = ['posapi.flexiti.fi', 'posapi-training.flexiti.fi', 'posapi-mi.flexiti.fi'];

/** Benji's auth origins per environment (the official SDK's table); `development` is loopback. */
export const BENJI_ORIGINS: Readonly<Record<string, string>> = {
  production: 'https://verifyapp.withbenji.com',
  sandbox: 'https://verifyapp-staging.withbenji.com',
  development: 'http://localhost:3000',
};
/** The hosts a Benji frame URL may be on (https). */
export const BENJI_HOSTS: readonly string[] = ['verifyapp.withbenji.com', 'verifyapp-staging.withbenji.com'];

/** finAPI's web form servers (the loader's own table); `target-url` may name another finAPI host. */
export const FINAPI_SERVERS: Readonly<Record<string, string>> = {
  live: 'https://webform-live.finapi.io',
  sandbox: 'https://webform-sandbox.finapi.io',
};
/** The loader's host rule for finAPI's own servers (src/utils/url.util.ts): these domains, not a pattern on origins. */
export const FINAPI_DOMAINS: readonly string[] = ['.finapi.io', '.finapi.net'];
