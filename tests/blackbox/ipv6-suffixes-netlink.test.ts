import { afterAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { requireBinary } from "./harness.ts";

setDefaultTimeout(90_000);
const unavailable = netnsUnavailable();
let ns: Netns | undefined;
afterAll(() => ns?.remove());

describe("dist/ddnsd with ipv6_suffix records and the netlink source in a network namespace", () => {
  it.skipIf(unavailable !== undefined)("derives the NAS's and the printer's AAAA from the interface's prefix and moves both in one batch when it changes", async () => {
    requireBinary();
    ns = createNetns("sfx");
    const p = Bun.spawn(ns.exec("bun", join(import.meta.dir, "netlink-suffix-scenario.ts")), { stdout: "pipe", stderr: "pipe" });
    const [out, err] = [await new Response(p.stdout).text(), await new Response(p.stderr).text()];
    expect(await p.exited, err).toBe(0);
    const r = JSON.parse(out.trim().split("\n").at(-1)!) as {
      created: boolean; first: unknown; moved: boolean; final: unknown; writes: Array<{ method: string; path: string; body: { patches?: Array<{ content: string }> } }>; exitCode: number; lines: string[];
    };
    expect(r.created, r.lines.join("\n")).toBe(true);
    expect(r.first).toEqual({ nas: ["2001:db8:1:2:11:22ff:fe33:4455"], printer: ["2001:db8:1:2:a8bb:ccff:fedd:eeff"] });
    expect(r.moved, r.lines.join("\n")).toBe(true);
    expect(r.final).toEqual({ nas: ["2001:db8:3:4:11:22ff:fe33:4455"], printer: ["2001:db8:3:4:a8bb:ccff:fedd:eeff"] });
    expect(r.writes.map((w) => `${w.method} ${w.path}`)).toEqual(["POST /zones/ID/dns_records/batch"]);
    expect((r.writes[0]!.body.patches ?? []).map((p) => p.content).sort()).toEqual(["2001:db8:3:4:11:22ff:fe33:4455", "2001:db8:3:4:a8bb:ccff:fedd:eeff"]);
    expect(r.exitCode).toBe(0);
  });
});
