// DEMO ONLY. The rule every module in demo/playground/ applies: the playground refuses to start
// with NODE_ENV=production or when the server listens on anything but loopback, and each of its
// routes answers only a request that arrived over loopback.
//
// Why: the playground's routes are conveniences for a developer's own machine — a dump of every
// stored callback, a route that makes the server send callbacks with its real secret, a signer of
// FlexPay receipts, a switch that drops every status stream. Copied into a shop, each would be a
// hole. A shop mounts only the receivers (demo/receivers/).
//
// No dependencies: importing this needs neither a build nor SQLite.

import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Thrown when a playground module is asked to start where it must not. */
export class PlaygroundRefusedError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PlaygroundRefusedError';
  }
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether `host` (a listen address, a socket's address, or `localhost`) is loopback:
 * `localhost`, 127.0.0.0/8, `::1` (also as `[::1]`) or an IPv4-mapped 127.x address. Anything
 * else — `0.0.0.0`, `::`, a LAN address, any other name — is not.
 */
export function isLoopbackHost(host) {
  if (typeof host !== 'string') return false;
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost') return true;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(h);
  if (mapped) h = mapped[1];
  if (isIPv4(h)) return LOOPBACK.check(h, 'ipv4');
  if (isIPv6(h)) return LOOPBACK.check(h, 'ipv6');
  return false;
}

/**
 * Throws a PlaygroundRefusedError unless the playground may start: `env.NODE_ENV` is not
 * `production`, and every address in `hosts` (what the server listens on) is loopback.
 *
 * @param {{ hosts: string | string[], env?: Record<string, string | undefined> }} where
 * @param {string} [what]  names the module in the message
 */
export function assertPlaygroundAllowed({ hosts, env = process.env } = {}, what = 'The demo playground') {
  const fix = 'Mount only the receivers (demo/receivers/) in a shop; run the demo with `npm start` on your own machine.';
  if (String(env?.NODE_ENV ?? '').trim().toLowerCase() === 'production') {
    throw new PlaygroundRefusedError(
      `${what} refuses to start with NODE_ENV=production: its routes dump stored callbacks, send callbacks with the real secret, sign FlexPay receipts and drop status streams for anyone who asks. ${fix}`,
    );
  }
  const list = typeof hosts === 'string' ? [hosts] : Array.isArray(hosts) ? hosts : [];
  if (list.length === 0) {
    throw new PlaygroundRefusedError(`${what} refuses to start: it was not told which addresses the server listens on (hosts), so it cannot check they are loopback.`);
  }
  const exposed = list.filter((host) => !isLoopbackHost(host));
  if (exposed.length > 0) {
    throw new PlaygroundRefusedError(
      `${what} refuses to start: the server listens on ${exposed.map((host) => JSON.stringify(String(host))).join(', ')}, which is not loopback (localhost, 127.0.0.0/8, ::1), so other machines could reach its routes. ${fix}`,
    );
  }
}

/**
 * A demo/server.mjs route whose handler runs only for a request that came over loopback (both
 * ends of the connection); any other gets 403 `loopback_only`. A second line behind
 * assertPlaygroundAllowed(), for a server that listens on more than it said.
 */
export function loopbackOnly(route) {
  return {
    ...route,
    handle: (req, res, ctx) => {
      if (!isLoopbackHost(req.socket?.localAddress) || !isLoopbackHost(req.socket?.remoteAddress)) {
        return ctx.sendJson(403, { error: 'loopback_only', reason: 'the demo playground answers requests over loopback only' });
      }
      return route.handle(req, res, ctx);
    },
  };
}
