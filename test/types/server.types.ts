/**
 * Type tests for finframe/server: checked by `tsc --noEmit`, never run. Each `@ts-expect-error`
 * fails the type check if the line it marks stops being an error.
 */
import { createFinapiCallbackHandler, memoryStore, type CallbackStore, type FinapiCallback, type StoredRecord } from '../../src/server/index.js';
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
}
