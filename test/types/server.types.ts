/**
 * Type tests for finframe/server: checked by `tsc --noEmit`, never run. Each `@ts-expect-error`
 * fails the type check if the line it marks stops being an error.
 */
import {
  createFinapiCallbackHandler,
  createFlexPayCallbackHandler,
  createFlexPayReceiptVerifier,
  createStatusStream,
  clientAddressKey,
  memoryStore,
  STATUS_STREAM_DEFAULTS,
  type CallbackStore,
  type ConnectionInfo,
  type FinapiCallback,
  type FlexPayCallback,
  type FlexPayReceiptKeys,
  type FlexPayStatusView,
  type StatusStreamHandler,
  type StoredRecord,
  verifyShopifyAppProxy,
  type ShopifyAppProxyRefusal,
} from '../../src/server/index.js';
import { toNodeHandler } from '../../src/server/node.js';
import { sqliteStore } from '../../src/server/sqlite.js';

export function serverTypeTests(): void {
  const store: CallbackStore = sqliteStore({ path: 'x.db', synchronous: 'NORMAL' });
  const handler: (request: Request) => Promise<Response> = createFinapiCallbackHandler({
    secret: 'a-long-enough-secret',
    store,
    onUpdate(record, previous) {
      const data: FinapiCallback = record.data;
      if ('taskId' in data) {
        const status: 'NOT_YET_STARTED' | 'IN_PROGRESS' | 'WEB_FORM_REQUIRED' | 'COMPLETED' | 'COMPLETED_WITH_ERROR' = data.status;
        const url: string | undefined = data.webForm?.url;
        void status, url;
        // @ts-expect-error a task callback has no webFormId
        void data.webFormId;
      } else {
        const id: string = data.webFormId;
        void id;
      }
      const before: StoredRecord<FinapiCallback> | undefined = previous;
      void before;
      // @ts-expect-error records are read-only
      record.version = 2;
    },
    async confirm(callback) {
      return 'taskId' in callback ? { taskId: callback.taskId, status: 'COMPLETED' } : undefined;
    },
  });
  toNodeHandler(handler);
  // @ts-expect-error the secret is required
  createFinapiCallbackHandler({ store: memoryStore() });
  // @ts-expect-error synchronous is FULL or NORMAL
  sqliteStore({ path: 'x.db', synchronous: 'OFF' });

  // FlexPay: every key form
  const forms: FlexPayReceiptKeys[] = [
    '-----BEGIN PUBLIC KEY-----…',
    { kty: 'RSA', n: 'n', e: 'AQAB' },
    { kid1: '-----BEGIN PUBLIC KEY-----…', kid2: { kty: 'RSA', n: 'n', e: 'AQAB' } },
    { keys: [{ kty: 'RSA', n: 'n', e: 'AQAB', kid: 'k' }] },
    'https://flexpay.example/.well-known/jwks.json',
    new URL('https://flexpay.example/.well-known/jwks.json'),
  ];
  void forms;
  const flexpay = createFlexPayCallbackHandler({
    keys: '-----BEGIN PUBLIC KEY-----…',
    store,
    issuer: ['https://a/', 'https://b/'],
    audience: 'https://api.staging.k8s.dekopay.org',
    clockTolerance: 30,
    onUpdate(record, previous, delivery) {
      const deliveryId: string = delivery.deliveryId;
      const attempt: number = delivery.attempt;
      void deliveryId, attempt;
      const data: FlexPayCallback = record.data;
      const status: 'PENDING' | 'SUCCESSFUL' | 'FAILED' = data.status;
      const kid: string | undefined = data.receiptKid;
      const iat: number = data.receiptIat;
      const provenBy: 'receipt' | 'confirm' = data.provenBy;
      void status, kid, iat, provenBy, previous;
      // @ts-expect-error the receipt is not stored
      void data.receipt;
    },
    onError(_error, context) {
      const stage: 'verify' | 'confirm' | 'proof' | 'store' | 'onUpdate' | 'delivery' | 'internal' = context.stage;
      const deadLetter: boolean | undefined = context.deadLetter;
      void stage, deadLetter;
    },
  });
  toNodeHandler(flexpay);
  void flexpay.deliveries.deadLetters().then(async (dead) => {
    const first = dead[0];
    if (!first) return;
    const status: 'PENDING' | 'SUCCESSFUL' | 'FAILED' = first.record.data.status;
    const lastError: string | undefined = first.lastError;
    const replayed: boolean = await flexpay.deliveries.replay(first.id);
    void status, lastError, replayed;
  });
  void flexpay.close();
  // @ts-expect-error keys are required
  createFlexPayCallbackHandler({ store });
  // @ts-expect-error clockTolerance is a number of seconds
  createFlexPayCallbackHandler({ keys: 'x', store, clockTolerance: '60s' });
  void createFlexPayReceiptVerifier({ keys: 'x' })('jwt', { id: 'a', reference: 'r' }).then((receipt) => receipt.application.transaction_id);
  // @ts-expect-error a receipt is only checked against an order: the reference is required
  void createFlexPayReceiptVerifier({ keys: 'x' })('jwt');
  // @ts-expect-error … even when the application id is given
  void createFlexPayReceiptVerifier({ keys: 'x' })('jwt', { id: 'a' });
  // confirm answers a FlexPay status; expectedApplicationId an id or undefined
  createFlexPayCallbackHandler({
    keys: 'x',
    store,
    maxReceiptAgeSeconds: 3600,
    expectedApplicationId: async (reference) => (reference === 'r' ? 'app' : undefined),
    confirm: async (callback) => ({ status: callback.status === 'PENDING' ? 'PENDING' : 'FAILED', id: callback.id }),
  });
  // @ts-expect-error confirm must answer a FlexPay status
  createFlexPayCallbackHandler({ keys: 'x', store, confirm: async () => ({ status: 'success' }) });

  // Status stream
  const stream: StatusStreamHandler = createStatusStream({
    store,
    authorize: async (request, reference) => request.headers.get('cookie') === `order=${reference}`,
    heartbeatMs: 15_000,
    pollMs: 2000,
    retryMs: 3000,
    referenceParam: 'order',
    maxConnections: 1000,
    maxConnectionsPerReference: 8,
    maxConnectionsPerClient: Infinity,
    clientKey: (request, info) => request.headers.get('x-real-ip') ?? info.remoteAddress,
    maxStreamSeconds: 120,
  });
  const clients: number = stream.clients;
  void clients;
  // The second argument is optional: a Fetch runtime may call the handler with the request alone.
  void stream(new Request('https://shop.example/flexpay/status?reference=r'));
  void stream(new Request('https://shop.example/flexpay/status?reference=r'), { remoteAddress: '192.0.2.1' });
  // @ts-expect-error remoteAddress is a string
  void stream(new Request('https://shop.example/'), { remoteAddress: 1 });
  // @ts-expect-error clientKey answers a string, undefined or null
  createStatusStream({ store, authorize: () => true, clientKey: () => 1 });
  const defaults: number = STATUS_STREAM_DEFAULTS.maxConnectionsPerClient;
  const key: string = clientAddressKey('::ffff:192.0.2.1');
  const info: ConnectionInfo = { remoteAddress: key };
  void defaults;
  void info;
  const open: number = stream.connections;
  stream.close();
  void open;
  toNodeHandler(stream);
  // @ts-expect-error authorize is required
  createStatusStream({ store });
  // @ts-expect-error authorize answers a boolean
  createStatusStream({ store, authorize: () => 'yes' });
  const view: FlexPayStatusView = { reference: 'r', status: null, final: false, version: 0 };
  void view;
  const unsubscribe: (() => void) | undefined = store.subscribe?.('flexpay:r', (record) => void record.version);
  void unsubscribe;

  void (async (request: Request) => {
    const result = await verifyShopifyAppProxy(request, { secret: 's', maxAgeSeconds: 60 });
    if (result.ok) {
      const shop: string = result.shop;
      const customer: string | null = result.loggedInCustomerId;
      void shop;
      void customer;
      // @ts-expect-error a verified result has no reason
      void result.reason;
    } else {
      const why: ShopifyAppProxyRefusal = result.reason;
      void why;
      // @ts-expect-error a refused result has no shop
      void result.shop;
    }
    // @ts-expect-error the secret is required
    await verifyShopifyAppProxy(request, { maxAgeSeconds: 60 });
  });
}
