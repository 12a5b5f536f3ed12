/**
 * Runs inside a network namespace (started by daemon-netlink.test.ts with `ip netns exec`): the fake Cloudflare
 * API on the namespace's loopback, dist/ddnsd with DDNS_IP_SOURCE_TYPE=netlink on the veth `va`, and address changes
 * made with `ip addr`. Prints one JSON line with what happened, for the test to assert.
 */
import { spawnSync } from "node:child_process";
import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { BINARY } from "./harness.ts";

const ip = (...args: string[]) => {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
};
const token = "netlink-scenario-token-0042";
const cf = await startFakeCloudflare({ token, zones: ["example.com"] });
const waitFor = async (check: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await Bun.sleep(1);
  }
  return true;
};

ip("addr", "add", "203.0.113.5/32", "dev", "va");
ip("-6", "addr", "add", "2001:db8::5/64", "dev", "va", "nodad");
const lines: string[] = [];
const daemon = Bun.spawn([BINARY], {
  env: {
    PATH: process.env.PATH ?? "", DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "home.example.com", DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "va",
    DDNS_POLL_INTERVAL: "1h", DDNS_HTTP_ADDR: "off",
  },
  stdout: "pipe",
  stderr: "pipe",
});
void (async () => {
  for await (const chunk of daemon.stdout.pipeThrough(new TextDecoderStream())) lines.push(...chunk.split("\n").filter(Boolean));
})();
const a = () => cf.contents("home.example.com", "A");
const aaaa = () => cf.contents("home.example.com", "AAAA");
const created = await waitFor(() => a()[0] === "203.0.113.5" && aaaa()[0] === "2001:db8::5", 10_000);

// An address change: only the kernel's event can make the daemon notice (the poll interval is an hour).
const reactions: number[] = [];
for (let i = 0; i < 10; i++) {
  const next = `203.0.113.${10 + i}`;
  const prev = a()[0]!;
  const t0 = performance.now();
  ip("addr", "add", `${next}/32`, "dev", "va");
  ip("addr", "del", `${prev}/32`, "dev", "va");
  if (await waitFor(() => a()[0] === next, 5000)) reactions.push(performance.now() - t0);
}
// Addresses that must never be published.
ip("-6", "addr", "add", "fd00::1/64", "dev", "va", "nodad");
ip("-6", "addr", "add", "2001:db8::99/64", "dev", "va", "nodad", "preferred_lft", "0");
ip("addr", "add", "10.1.2.3/8", "dev", "va");
await Bun.sleep(500);
const aaaaAfterNoise = aaaa();
const t1 = performance.now();
daemon.kill("SIGTERM");
const exitCode = await daemon.exited;
const shutdownMs = performance.now() - t1;
await cf.stop();
const writes = cf.requests().filter((r) => r.method !== "GET" && r.path.startsWith("/client/v4")).map((r) => String(r.body ?? ""));
console.log(JSON.stringify({ created, reactions, aaaaAfterNoise, finalA: a(), exitCode, shutdownMs, writes, lines }));
