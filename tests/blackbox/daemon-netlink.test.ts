import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { requireBinary } from "./harness.ts";

setDefaultTimeout(90_000);
const unavailable = netnsUnavailable();
let ns: Netns | undefined;
afterAll(() => ns?.remove());

describe("dist/ddnsd with the netlink source in a network namespace", () => {
  it.skipIf(unavailable !== undefined)("publishes the interface's global addresses, follows kernel events at once, ignores non-public ones, stops on SIGTERM", async () => {
    requireBinary();
    ns = createNetns("bb");
    const p = Bun.spawn(ns.exec("bun", join(import.meta.dir, "netlink-scenario.ts")), { stdout: "pipe", stderr: "pipe" });
    const [out, err] = [await new Response(p.stdout).text(), await new Response(p.stderr).text()];
    expect(await p.exited, err).toBe(0);
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as {
      created: boolean; reactions: number[]; aaaaAfterNoise: string[]; finalA: string[]; exitCode: number; shutdownMs: number; writes: string[]; lines: string[];
    };
    expect(r.created, r.lines.join("\n")).toBe(true);
    expect(r.lines).toContain("INFO IP source type: netlink");
    expect(r.reactions).toHaveLength(10);
    expect(Math.max(...r.reactions)).toBeLessThan(2000);
    expect(r.finalA).toEqual(["203.0.113.19"]);
    expect(r.aaaaAfterNoise).toEqual(["2001:db8::5"]);
    for (const body of r.writes) expect(body).not.toMatch(/10\.1\.2\.3|fd00::1|2001:db8::99/);
    expect(r.exitCode).toBe(0);
    expect(r.shutdownMs).toBeLessThan(3000);
  });
});
