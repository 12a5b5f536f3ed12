/**
 * Runs inside a network namespace (started by ipv6-suffixes-netlink.test.ts with `ip netns exec`): the fake
 * Cloudflare API on the namespace's loopback, dist/ddnsd with DDNS_IP_SOURCE_TYPE=netlink on the veth `va` and two
 * ipv6_suffix records, and a prefix change made with `ip addr`. Prints one JSON line with what happened.
 */
import { spawnSync } from "node:child_process";
import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { BINARY } from "./harness.ts";

const ip = (...args: string[]) => {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
};
const token = "netlink-suffix-token-0077";
const cf = await startFakeCloudflare({ token, zones: ["example.com"] });
const waitFor = async (check: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await Bun.sleep(5);
  }
  return true;
};

ip("-6", "addr", "add", "2001:db8:1:2::5/64", "dev", "va", "nodad");
const lines: string[] = [];
const daemon = Bun.spawn([BINARY], {
  env: {
    PATH: process.env.PATH ?? "", DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "nas.example.com{ipv6_suffix=::11:22ff:fe33:4455},printer.example.com{ipv6_suffix=mac(aa:bb:cc:dd:ee:ff)}",
    DDNS_IP_VERSIONS: "6", DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "va", DDNS_POLL_INTERVAL: "1h", DDNS_HTTP_ADDR: "off",
  },
  stdout: "pipe",
  stderr: "pipe",
});
void (async () => {
  for await (const chunk of daemon.stdout.pipeThrough(new TextDecoderStream())) lines.push(...chunk.split("\n").filter(Boolean));
})();
const both = () => ({ nas: cf.contents("nas.example.com", "AAAA"), printer: cf.contents("printer.example.com", "AAAA") });
const created = await waitFor(() => both().nas.length === 1 && both().printer.length === 1, 10_000);
const first = both();

// The ISP hands out a new prefix: only the kernel's event can make the daemon notice (the poll interval is an hour).
cf.clearRequests();
ip("-6", "addr", "del", "2001:db8:1:2::5/64", "dev", "va");
ip("-6", "addr", "add", "2001:db8:3:4::5/64", "dev", "va", "nodad");
const moved = await waitFor(() => both().nas[0] === "2001:db8:3:4:11:22ff:fe33:4455" && both().printer[0] === "2001:db8:3:4:a8bb:ccff:fedd:eeff", 10_000);
await Bun.sleep(300);
const writes = cf.requests().filter((r) => r.method !== "GET").map((r) => ({ method: r.method, path: r.path.replace(/^\/zones\/[^/]+/, "/zones/ID"), body: r.body }));
daemon.kill("SIGTERM");
const exitCode = await daemon.exited;
await cf.stop();
console.log(JSON.stringify({ created, first, moved, final: both(), writes, exitCode, lines }));
