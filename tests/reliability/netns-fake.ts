import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";

/**
 * The fake Cloudflare API for a daemon that runs inside a network namespace (netlink soak): started inside the
 * namespace with `ip netns exec`, it listens on the namespace's loopback, and serves a Unix socket (the file system
 * is shared, the network is not) through which the test reaches everything inside:
 *
 *   /_control/…         the fake's control API (records, requests, faults, rng)
 *   /_proxy/PORT/PATH   any loopback HTTP server in the namespace, e.g. the daemon's /metrics and /status
 *
 *   ip netns exec NS bun tests/reliability/netns-fake.ts TOKEN SOCKET   # prints "READY <api url>", stops on SIGTERM
 */

const [token, socket] = process.argv.slice(2);
if (!token || !socket) throw new Error("usage: netns-fake.ts TOKEN SOCKET");
const cf = await startFakeCloudflare({ token, zones: ["example.com"], seed: 1 });

const server = Bun.serve({
  unix: socket,
  async fetch(req) {
    const url = new URL(req.url);
    const proxied = /^\/_proxy\/(\d+)(\/.*)$/.exec(url.pathname);
    const target = proxied ? `http://127.0.0.1:${proxied[1]}${proxied[2]}${url.search}` : `${cf.origin}${url.pathname}${url.search}`;
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.text();
    try {
      const answer = await fetch(target, { method: req.method, headers: { "content-type": "application/json" }, body });
      return new Response(await answer.arrayBuffer(), { status: answer.status, headers: answer.headers });
    } catch (error) {
      return new Response(`proxy error: ${(error as Error).message}`, { status: 502 });
    }
  },
});

console.log(`READY ${cf.url}`);
const stop = async () => {
  server.stop(true);
  await cf.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
