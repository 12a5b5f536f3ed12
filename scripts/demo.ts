/**
 * `bun run demo`: the real daemon (dist/ddnsd) doing its whole job on this machine without a DNS account.
 * A local fake of the Cloudflare API and a fake "what is my IP" service stand in for the internet; the daemon
 * detects the address, creates the records, follows an address change, answers its endpoints (shown here while it
 * runs), and stops on SIGTERM.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { startFakeCloudflare } from "../tests/fakes/cloudflare/fake-cloudflare.ts";
import { createIpEcho } from "../tests/fakes/ip-echo.ts";

const BINARY = join(import.meta.dir, "..", "dist", "ddnsd");
if (!existsSync(BINARY)) throw new Error("dist/ddnsd is missing: run `bun run build` first");

/** A port that was free a moment ago, for the daemon's HTTP listener. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const say = (text: string) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);
const token = `demo-${crypto.randomUUID()}`;
const ip = createIpEcho({ v4: "203.0.113.7", v6: "2001:db8::7" });
const cf = await startFakeCloudflare({ token, zones: ["example.com"], extraHandler: (req) => ip.handle(req) });
const httpPort = await freePort();

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

const base = `http://127.0.0.1:${httpPort}`;
const ready = await fetch(`${base}/readyz`);
say(`GET ${base}/readyz → ${ready.status} ${(await ready.text()).trim()}`);
const status = (await (await fetch(`${base}/status`)).json()) as { records: Array<{ name: string; type: string; content: string | null; state: string }> };
say(`GET ${base}/status → per record:\n   ${status.records.map((r) => `${r.name} ${r.type} ${r.content} ${r.state}`).join("\n   ")}`);
const metrics = (await (await fetch(`${base}/metrics`)).text()).split("\n").filter((l) => l.startsWith("ddns_record_updates_total{"));
say(`GET ${base}/metrics → (a few of its lines)\n   ${metrics.join("\n   ")}`);

say("Sending SIGTERM (what docker stop / systemctl stop do) …");
daemon.kill("SIGTERM");
const code = await daemon.exited;
await cf.stop();
say(
  `ddnsd exited with code ${code}; the demo is over (its endpoints are gone with it). To run it for real:\n` +
    "   cp .env.example .env && $EDITOR .env            # your provider, token and records\n" +
    "   set -a && . ./.env && set +a                   # dist/ddnsd reads only its environment, never .env itself\n" +
    "   dist/ddnsd check && dist/ddnsd                 # then curl -s 127.0.0.1:8080/status while it runs",
);
process.exit(code);
