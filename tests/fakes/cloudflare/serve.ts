import { createIpEcho } from "../ip-echo.ts";
import { startFakeCloudflare } from "./fake-cloudflare.ts";

/**
 * Starts the fake Cloudflare API (and, on the same port, the fake "what is my IP" service) for the demo and
 * black-box tests of the compiled daemon, then prints where they are, one `KEY=value` per line:
 *
 *   bun tests/fakes/cloudflare/serve.ts --port 8787 --token t0ken --zones example.com,example.org
 *
 *   FAKE_CLOUDFLARE_URL=http://127.0.0.1:8787/client/v4      (DDNS_PROVIDER_API_URL)
 *   FAKE_CONTROL_URL=http://127.0.0.1:8787/_control          (records, requests, faults; see fake-control.ts)
 *   FAKE_IP_URL_V4=http://127.0.0.1:8787/v4                  (DDNS_IP_SOURCE_URLS_V4; /v4/cdn-cgi/trace too)
 *   FAKE_IP_URL_V6=http://127.0.0.1:8787/v6
 *
 * Options (or environment): --port (FAKE_CF_PORT, default 0 = any), --token (FAKE_CF_TOKEN, default
 * "fake-cloudflare-token"), --zones (FAKE_CF_ZONES, default example.com), --v4 / --v6 (the echoed addresses),
 * --seed (FAKE_CF_SEED), --no-batch. Stops on SIGINT/SIGTERM.
 */

function option(name: string, env: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const fromArgs = i > 0 ? process.argv[i + 1] : undefined;
  return fromArgs ?? process.env[env] ?? fallback;
}

const echo = createIpEcho({ v4: option("v4", "FAKE_IP_V4", "203.0.113.7"), v6: option("v6", "FAKE_IP_V6", "2001:db8::7") });
const cf = await startFakeCloudflare({
  port: Number(option("port", "FAKE_CF_PORT", "0")),
  token: option("token", "FAKE_CF_TOKEN", "fake-cloudflare-token"),
  zones: option("zones", "FAKE_CF_ZONES", "example.com").split(",").map((z) => z.trim()).filter(Boolean),
  seed: Number(option("seed", "FAKE_CF_SEED", "1")),
  batch: !process.argv.includes("--no-batch"),
  extraHandler: (req) => echo.handle(req),
});

console.log(`FAKE_CLOUDFLARE_URL=${cf.url}`);
console.log(`FAKE_CONTROL_URL=${cf.origin}/_control`);
console.log(`FAKE_IP_URL_V4=${cf.origin}/v4`);
console.log(`FAKE_IP_URL_V6=${cf.origin}/v6`);
for (const zone of cf.zones()) console.log(`FAKE_ZONE ${zone.name} ${zone.id}`);

const stop = async () => {
  await cf.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
