/**
 * `bun run demo`: the real daemon (dist/ddnsd) doing its whole job on this machine without a DNS account.
 * A local fake of the Cloudflare API and a fake "what is my IP" service stand in for the internet; the daemon
 * detects the address, creates the records, follows an address change, shows its endpoints, and stops on SIGTERM.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startFakeCloudflare } from "../tests/fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../tests/fakes/ip-echo.ts";

const BINARY = join(import.meta.dir, "..", "dist", "ddnsd");
if (!existsSync(BINARY)) throw new Error("dist/ddnsd is missing: run `bun run build` first");

const say = (text: string) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const token = `demo-${crypto.randomUUID()}`;
const ip = createIpEcho({ v4: "203.0.113.7", v6: "2001:db8::7" });
const cf = await startFakeCloudflare({ token, zones: ["example.com"], extraHandler: (req) => ip.handle(req) });
const httpPort = 18080 + Math.floor(Math.random() * 1000);

say(`Fake Cloudflare API at ${cf.url}; the daemon manages home.example.com and www.example.com (A and AAAA)`);
const daemon = Bun.spawn([BINARY], {
  env: {
    PATH: process.env.PATH ?? "",
    DDNS_PROVIDER_TYPE: "cloudflare",
    DDNS_PROVIDER_API_TOKEN: token,
    DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "home.example.com,www.example.com",
    DDNS_IP_SOURCE_URLS_V4: `${cf.origin}/v4`,
    DDNS_IP_SOURCE_URLS_V6: `${cf.origin}/v6`,
    DDNS_POLL_INTERVAL: "2s",
    DDNS_HTTP_ADDR: `127.0.0.1:${httpPort}`,
  },
  stdout: "inherit",
  stderr: "inherit",
});

const waitFor = async (check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("the demo did not reach the expected state in time");
    await Bun.sleep(50);
  }
};
const zone = () => cf.records().map((r) => `${r.name} ${r.type} ${r.content}`).sort();

await waitFor(() => cf.records().length === 4);
await Bun.sleep(300);
say(`The fake zone now holds:\n   ${zone().join("\n   ")}`);

say("The public IPv4 address changes to 198.51.100.23 …");
ip.set({ v4: "198.51.100.23" });
await waitFor(() => cf.contents("home.example.com", "A")[0] === "198.51.100.23");
await Bun.sleep(300);
say(`The fake zone now holds:\n   ${zone().join("\n   ")}`);

const status = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
say(`GET /readyz → ${status.status} ${await status.text()}; try /status and /metrics while a daemon runs`);

say("Sending SIGTERM (what docker stop / systemctl stop do) …");
daemon.kill("SIGTERM");
const code = await daemon.exited;
await cf.stop();
say(`ddnsd exited with code ${code}. Next: copy .env.example, set your real token and records, and run dist/ddnsd.`);
process.exit(code);
