/**
 * Runs inside a network namespace (started by arm64-emulated.test.ts with `ip netns exec`): the fake Cloudflare API on
 * the namespace's loopback, a release executable (under qemu-user) with DDNS_IP_SOURCE_TYPE=netlink on the veth `va`,
 * which holds 203.0.113.5; optionally one address change made with `ip addr`, then SIGTERM. Prints one JSON line with
 * what happened, for the test to assert.
 *
 * DDNSD_SCENARIO = {"command": [argv that runs ddnsd], "env": {extra variables}, "follow": true|false}
 */
import { spawnSync } from "node:child_process";
import { startFakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";

const spec = JSON.parse(process.env.DDNSD_SCENARIO ?? "{}") as { command: string[]; env: Record<string, string>; follow: boolean };
const ip = (...args: string[]) => {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
};
const waitFor = async (check: () => boolean, ms: number) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await Bun.sleep(5);
  }
  return true;
};

/** `promise`, or "timeout" after `ms` (the timer is cleared, so it never keeps this process alive). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

const token = "emulated-netlink-token-7c1f";
const cf = await startFakeCloudflare({ token, zones: ["example.com"] });
ip("addr", "add", "203.0.113.5/32", "dev", "va");
const lines: string[] = [];
const daemon = Bun.spawn([...spec.command, "run"], {
  env: {
    PATH: process.env.PATH ?? "", DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: cf.url,
    DDNS_RECORDS: "home.example.com", DDNS_IP_VERSIONS: "4", DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "va",
    DDNS_POLL_INTERVAL: "1h", DDNS_HTTP_ADDR: "off", ...spec.env,
  },
  stdout: "pipe",
  stderr: "pipe",
});
const pump = async (stream: ReadableStream<Uint8Array>) => {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    lines.push(...parts.filter(Boolean));
  }
  if (rest) lines.push(rest);
};
const pumped = Promise.all([pump(daemon.stdout), pump(daemon.stderr)]);
const a = () => cf.contents("home.example.com", "A");

const created = await waitFor(() => a()[0] === "203.0.113.5", 30_000);
// With an hour between polls, only the kernel's address event can make the daemon notice this change in time.
let followedMs: number | null = null;
if (spec.follow && created) {
  const t0 = performance.now();
  ip("addr", "add", "203.0.113.6/32", "dev", "va");
  ip("addr", "del", "203.0.113.5/32", "dev", "va");
  if (await waitFor(() => a()[0] === "203.0.113.6", 8000)) followedMs = performance.now() - t0;
}
const t1 = performance.now();
daemon.kill("SIGTERM");
const exitCode = await within(daemon.exited, 20_000);
if (exitCode === "timeout") daemon.kill("SIGKILL");
const shutdownMs = performance.now() - t1;
await within(pumped, 2000);
await cf.stop();
console.log(JSON.stringify({ created, followedMs, finalA: a(), exitCode, shutdownMs, lines }));
