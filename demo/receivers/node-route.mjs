// A Fetch-API handler from finframe/server as a demo/server.mjs route, through toNodeHandler (what
// a shop's Node or Express server does with `toNodeHandler(handler)`).

import { toNodeHandler } from 'finframe/server/node';

/**
 * A route for every method at exactly `path` (the handler answers other methods itself: 405 with
 * `Allow`, as JSON). The route resolves once the response is out, or the stream closed.
 *
 * @param {string} path
 * @param {(request: Request) => Promise<Response>} handler
 * @returns {import('../server.mjs').Route}
 */
export function nodeRoute(path, handler) {
  const listener = toNodeHandler(handler);
  return {
    method: '*',
    path,
    handle: (req, res) =>
      new Promise((resolve, reject) => {
        res.once('close', resolve);
        listener(req, res, reject);
      }),
  };
}
