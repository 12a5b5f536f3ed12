import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho, type IpEcho } from "../fakes/ip-echo.ts";
import { createServer } from "node:net";

/** A fake Cloudflare API with an IP echo on the same port, and the env that points dist/ddnsd at both. */
export interface TestWorld {
  cf: FakeCloudflare;
  ip: IpEcho;
  token: string;
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startWorld(opts: { zones?: string[]; v4?: string; v6?: string } = {}): Promise<TestWorld> {
  const token = `bb-token-${process.pid}-${++counter}-s3cr3t`;
  const ip = createIpEcho({ v4: opts.v4 ?? "203.0.113.7", v6: opts.v6 ?? "2001:db8::7" });
  const cf = await startFakeCloudflare({ token, zones: opts.zones ?? ["example.com"], extraHandler: (req) => ip.handle(req) });
  return {
    cf,
    ip,
    token,
    env: (extra = {}) => ({
      DDNS_PROVIDER_TYPE: "cloudflare",
      DDNS_PROVIDER_API_TOKEN: token,
      DDNS_PROVIDER_API_URL: cf.url,
      DDNS_RECORDS: "home.example.com",
      DDNS_IP_SOURCE_URLS_V4: `${cf.origin}/v4`,
      DDNS_IP_SOURCE_URLS_V6: `${cf.origin}/v6`,
      DDNS_HTTP_ADDR: "off",
      DDNS_POLL_INTERVAL: "1s",
      ...extra,
    }),
    stop: () => cf.stop(),
  };
}

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, label = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${label} not reached within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await Bun.sleep(50);
    last = await probe();
  }
  return last;
}
