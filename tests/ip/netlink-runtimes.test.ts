import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { startProbe } from "../netns/probe-client.ts";

/**
 * The same source in its two other homes, each run inside a network namespace through the short scenario below:
 * under Deno (`Deno.dlopen`, `poll` as a nonblocking call, only --allow-ffi), and as a `bun build --compile`
 * executable (the socket read by Bun's own event loop, no Worker and no extra entrypoint), as dist/ddnsd is built.
 */

const root = join(import.meta.dir, "../..");

/** The initial dump, one IPv4 add, one IPv6 removal (with latency), then a prompt close through the eventfd. */
async function runBasicScenario(ns: Netns, argv: string[], runtime: "bun" | "deno") {
  ns.ip("addr", "add", "203.0.113.10/24", "dev", "va");
  ns.ip("addr", "add", "2001:db8:5::1/64", "dev", "va", "nodad");
  const probe = startProbe(ns.exec(...argv));
  try {
    const ready = await probe.next((l) => l.ready === true || l.unavailable !== undefined, 15_000);
    expect(ready).toEqual({ ready: true, runtime, v4: "203.0.113.10", v6: "2001:db8:5::1" });

    const t0 = performance.timeOrigin + performance.now();
    ns.ip("addr", "del", "203.0.113.10/24", "dev", "va");
    ns.ip("addr", "add", "198.51.100.7/24", "dev", "va");
    const v4 = await probe.next((l) => l.v4 === "198.51.100.7");
    expect((v4.at ?? Infinity) - t0).toBeLessThan(250);

    ns.ip("addr", "del", "2001:db8:5::1/64", "dev", "va");
    const v6 = await probe.next((l) => l.change !== undefined && l.v6 === "no public IPv6 address on va");
    expect(v6.change).toBe("IPv6 address on va: 2001:db8:5::1 → none");

    probe.send("close");
    const closed = await probe.next((l) => l.closed !== undefined);
    expect(closed.closed).toBeLessThan(100);
    expect(await probe.exited).toBe(0);
  } finally {
    probe.kill();
  }
}

describe.skipIf((netnsUnavailable() ?? (Bun.which("deno") ? undefined : "no deno")) !== undefined)("netlink source on Deno", () => {
  let ns: Netns | undefined;
  afterAll(() => ns?.remove());

  it("loads the initial dump, reports events, and closes promptly", async () => {
    ns = createNetns("deno");
    await runBasicScenario(ns, ["deno", "run", "--allow-ffi", "tests/netns/probe.ts", "deno", "va"], "deno");
  }, 30_000);
});

describe.skipIf(netnsUnavailable() !== undefined)("netlink source in a compiled executable", () => {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-compiled-"));
  let ns: Netns | undefined;
  afterAll(() => {
    ns?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the dump, reports events and closes, with nothing beside the executable", async () => {
    const binary = join(dir, "probe");
    const build = Bun.spawnSync(
      ["bun", "build", "--compile", "--minify", "--sourcemap", "tests/netns/probe.ts", "--outfile", binary],
      { cwd: root, stderr: "pipe", stdout: "pipe" },
    );
    expect(build.exitCode, build.stderr.toString()).toBe(0);
    ns = createNetns("compiled");
    await runBasicScenario(ns, ["env", "-C", dir, binary, "bun", "va"], "bun"); // run from elsewhere: no source beside it
  }, 60_000);
});
