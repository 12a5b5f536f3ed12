import { afterAll, afterEach, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { routerLabUnavailable } from "../netns/router.ts";
import { assertNoSecretLeaked, requireBinary } from "./harness.ts";
import { sample, startRouterWorld, type RouterWorld } from "./router-world.ts";

/**
 * dist/ddnsd with the router source against a hostile router (tests/netns/hostile-router.ts in the router namespace,
 * in place of miniupnpd): garbage over NAT-PMP, PCP, SSDP, the description and SOAP for a dozen detections never
 * crashes the daemon, never reaches DNS and never reaches the log raw (no control characters).
 */
setDefaultTimeout(90_000);
const unavailable = routerLabUnavailable();
let current: { w: RouterWorld; hostile: ReturnType<typeof Bun.spawn> } | undefined;
afterEach(async () => {
  current?.hostile.kill();
  await current?.hostile.exited;
  await current?.w.stop();
  current = undefined;
});
afterAll(() => assertNoSecretLeaked());

describe.skipIf(unavailable !== undefined)("dist/ddnsd with the router source against a router that answers garbage", () => {
  it.each([{ seed: 1 }, { seed: 20261202 }, { seed: 77 }])("seed $seed: the daemon lives, writes nothing, logs no raw control character", async ({ seed }) => {
    requireBinary();
    const w = await startRouterWorld({ wanAddress: "203.0.113.35", miniupnpd: false });
    const hostile = Bun.spawn(w.lab.routerNs.exec("bun", join(import.meta.dir, "..", "netns", "hostile-router.ts"), w.lab.routerAddress, String(seed)), { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    current = { w, hostile };
    const events: string[] = [];
    void (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of hostile.stdout) events.push(...decoder.decode(chunk).split("\n").filter(Boolean));
    })();
    await w.until(() => events.some((e) => e.includes('"ready"')), (ok) => ok, 10_000, "the hostile router ready");

    const d = await w.start({ DDNS_LOG_LEVEL: "debug" });
    const count = (kind: string) => events.filter((e) => e.includes(`"${kind}"`)).length;
    await w.until(() => ({ udp: count("udp"), ssdp: count("ssdp"), http: count("http") }), (n) => n.udp >= 8 && n.ssdp >= 4 && n.http >= 3, 60_000, "garbage over every protocol");
    expect(d.proc.exitCode).toBeNull();
    expect(w.writes()).toEqual([]);
    expect(w.a()).toEqual([]);
    expect(sample(await w.get("/metrics"), 'ddns_ip_detection_failing{family="ipv4"}')).toBe(1);
    expect(d.lines.filter((l) => /[\u0000-\u0008\u000b-\u001f\u007f]/.test(l))).toEqual([]);
    const kinds = new Set(events.map((e) => (JSON.parse(e) as { event: string }).event));
    expect([...kinds].sort()).toEqual(["http", "ready", "ssdp", "udp"]);
  });
});
