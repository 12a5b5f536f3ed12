import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoggedRequest } from "../fakes/cloudflare/fake-control.ts";
import { fetchChecked } from "../blackbox/harness.ts";
import { freePort, startWorld } from "../blackbox/world.ts";
import { createNetns, netnsUnavailable } from "../netns/netns.ts";
import { HTTP_GARBAGE, SOAK_RECORDS, type SoakWorld } from "./soak-run.ts";

/**
 * The two places the soak runs. `http`: the fakes in this process, the daemon polling the IP echo every second.
 * `netlink`: a network namespace holding the daemon (netlink source on `va`) and the fake Cloudflare API (a child
 * process, reached through a Unix socket), the addresses changed with `ip` — one kernel event per change — and the
 * netlink path warmed up first with 30 000 events about private addresses, which the daemon weighs but never publishes.
 */

export async function httpSoakWorld(): Promise<SoakWorld> {
  const w = await startWorld();
  const port = await freePort();
  return {
    label: "http",
    stepMs: 1100,
    env: w.env({ DDNS_RECORDS: SOAK_RECORDS.join(","), DDNS_HTTP_ADDR: `127.0.0.1:${port}`, DDNS_VERIFY_INTERVAL: "20s" }),
    prefix: [],
    garbage: HTTP_GARBAGE,
    setAddresses: async (a) => w.ip.set(a),
    setGarbage: async (family, bad) => w.ip.set(family === 4 ? { v4: bad } : { v6: bad }),
    contents: async (name, type) => w.cf.contents(name, type),
    requests: async () => w.cf.requests(),
    async faults(rules, seed) {
      if (rules === "clear") return w.cf.faults.clear();
      for (const rule of rules) w.cf.faults.add(rule);
      if (seed !== undefined) w.cf.faults.seed(seed);
    },
    fetchDaemon: (path) => fetchChecked(`http://127.0.0.1:${port}${path}`),
    stop: () => w.stop(),
  };
}

/** Interface addresses that must never be published, put on `va` in place of the public one of their family. */
export const NETLINK_GARBAGE = [
  "10.0.0.1/24", "192.168.1.1/24", "100.64.0.1/10", "169.254.1.1/16", "127.0.0.2/8", "203.0.113.250/24 preferred_lft 0",
  "fd00::1/64 nodad", "fe80::99/64 nodad", "::ffff:203.0.113.9/128 nodad", "2001:db8:dead::1/64 nodad preferred_lft 0",
];

export const netlinkUnavailable = netnsUnavailable;

export async function netlinkSoakWorld(): Promise<SoakWorld> {
  const ns = createNetns("soak");
  const socket = join(tmpdir(), `ddnsd-soak-${process.pid}-${Date.now()}.sock`);
  const token = `soak-netns-${process.pid}-s3cret`;
  const fake = Bun.spawn(ns.exec("bun", join(import.meta.dir, "netns-fake.ts"), token, socket), { stdout: "pipe", stderr: "inherit" });
  const reader = (fake.stdout as ReadableStream<Uint8Array>).getReader();
  let banner = "";
  while (!banner.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the namespaced fake did not start: ${banner}`);
    banner += new TextDecoder().decode(value);
  }
  const api = /READY (\S+)/.exec(banner)?.[1];
  if (!api) throw new Error(`unexpected banner from the namespaced fake: ${banner}`);
  const call = async (path: string, init: RequestInit = {}) => {
    const r = await fetch(`http://localhost${path}`, { ...init, unix: socket } as RequestInit);
    if (!r.ok) throw new Error(`${init.method ?? "GET"} ${path}: HTTP ${r.status} ${await r.text()}`);
    return r.json() as Promise<unknown>;
  };
  const on: Record<4 | 6, string[]> = { 4: [], 6: [] };
  /** Replaces the addresses of one family on `va` in one `ip -batch` burst. */
  const replace = (family: 4 | 6, spec: string) => {
    const lines = on[family].map((a) => `addr del ${a.split(" ")[0]} dev va`);
    ns.batch([...lines, `addr add ${spec.replace(" ", " dev va ")}${spec.includes(" ") ? "" : " dev va"}`]);
    on[family] = [spec];
  };
  return {
    label: "netlink",
    // Each step costs 1–2 API requests with faults and retries; this keeps under ddnsd's own Cloudflare budget of
    // 1200 requests per 5 minutes (4/s), past which it holds requests back for minutes, as Cloudflare would.
    stepMs: 650,
    env: {
      DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: token, DDNS_PROVIDER_API_URL: api, DDNS_RECORDS: SOAK_RECORDS.join(","),
      DDNS_IP_SOURCE_TYPE: "netlink", DDNS_IP_SOURCE_INTERFACE: "va", DDNS_HTTP_ADDR: "127.0.0.1:8080", DDNS_POLL_INTERVAL: "30s", DDNS_VERIFY_INTERVAL: "20s",
    },
    prefix: ["ip", "netns", "exec", ns.name],
    garbage: NETLINK_GARBAGE,
    async setAddresses(a) {
      replace(4, `${a.v4}/24`);
      replace(6, `${a.v6}/64 nodad`);
    },
    setGarbage: async (_family, bad) => replace(bad.includes(":") ? 6 : 4, bad), // the address says which family it replaces
    async warmUp() {
      // The netlink path (the worker's heap, buffers, the mirror) takes 20–30 000 events to reach its steady size
      // (measured: 52 → ~72 MiB, then flat within 71–77 MiB over 200 000 events). Churn private addresses on va: the
      // daemon parses and weighs each event, but the address it publishes stays, so no round and no request.
      for (let batch = 0; batch < 150; batch++) {
        ns.batch(Array.from({ length: 100 }, (_, i) => [`addr add 10.99.${batch}.${i + 1}/32 dev va`, `addr del 10.99.${batch}.${i + 1}/32 dev va`]).flat());
        await Bun.sleep(50);
      }
    },
    contents: async (name, type) => ((await call(`/_control/records?name=${name}&type=${type}`)) as Array<{ content: string }>).map((r) => r.content),
    requests: async () => (await call("/_control/requests")) as LoggedRequest[],
    async faults(rules, seed) {
      if (rules === "clear") return void (await call("/_control/faults", { method: "DELETE" }));
      await call("/_control/faults", { method: "POST", body: JSON.stringify(rules) });
      if (seed !== undefined) await call(`/_control/rng?seed=${seed}`, { method: "POST" });
    },
    fetchDaemon: (path) => fetchChecked(`http://localhost/_proxy/8080${path}`, { unix: socket } as RequestInit),
    async stop() {
      fake.kill("SIGTERM");
      await Promise.race([fake.exited, Bun.sleep(3000)]);
      if (fake.exitCode === null) fake.kill("SIGKILL");
      ns.remove();
    },
  };
}
