import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { join } from "node:path";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { startWorld, type TestWorld } from "../blackbox/world.ts";
import { createNetns, netnsUnavailable, type Netns } from "../netns/netns.ts";
import { emulated, ensureRelease, releaseBinary, sysroot, target, VERSION, whyNoEmulator, type Emulation } from "./fixtures.ts";

/**
 * dist/release/ddnsd-linux-arm64 on an emulated arm64 machine: qemu-aarch64-static with Debian's arm64 glibc as the
 * root (-L, from scripts/fetch-sysroot.sh) and a Cortex-A53 — ARMv8.0 without the LSE atomics of later cores, the
 * CPU of the Raspberry Pi 3 and Zero 2 and the oldest a 64-bit Pi has, so a runtime built for ARMv8.1+ would fail
 * here. 4K pages unless a test says otherwise. The fakes run on this machine's loopback, which qemu-user shares.
 */

setDefaultTimeout(60_000);
const ARM64 = target("arm64");
const skip = whyNoEmulator(ARM64);
const A53: Omit<Emulation, "root"> = { cpu: "cortex-a53" };
let root = "";
let w: TestWorld;
const arm64 = (extra: Partial<Emulation> = {}) => emulated(ARM64, releaseBinary("arm64"), { ...A53, root, ...extra });
const run = (args: string[], env: Record<string, string | undefined>, extra: Partial<Emulation> = {}) =>
  spawnDaemon(args, env, [], { command: arm64(extra) });

describe(`dist/release/ddnsd-linux-arm64 under qemu-aarch64-static (Cortex-A53, Debian's arm64 glibc)${skip ? ` — skipped: ${skip}` : ""}`, () => {
  beforeAll(async () => {
    if (skip) return;
    ensureRelease();
    root = sysroot("arm64");
    w = await startWorld();
  }, 300_000);
  afterAll(async () => {
    await w?.stop();
    if (!skip) assertNoSecretLeaked();
  });

  it.skipIf(skip !== undefined)("--version prints the package's version", async () => {
    const d = run(["--version"], {});
    expect(await d.exited()).toBe(0);
    expect(d.lines).toEqual([`ddnsd ${VERSION} (bun)`]);
  });

  it.skipIf(skip !== undefined).each([
    {
      name: "a valid configuration: exit 0, the token redacted",
      env: { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "arm64-check-token-55aa", DDNS_RECORDS: "home.example.com" },
      code: 0,
      expected: ["DDNS_PROVIDER_API_TOKEN=[REDACTED] (22 characters)", "Configuration is valid: 1 record(s), provider cloudflare"],
    },
    {
      name: "no token: exit 1 and the one line that names the variable",
      env: { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_RECORDS: "home.example.com" },
      code: 1,
      expected: ["Configuration error: DDNS_PROVIDER_API_TOKEN is required."],
    },
  ])("check with $name", async ({ env, code, expected }) => {
    const d = run(["check"], env);
    expect(await d.exited()).toBe(code);
    for (const line of expected) expect(d.lines).toContain(line);
    if (code === 1) expect(d.stderr).toEqual([...expected]);
  });

  it.skipIf(skip !== undefined)("once creates the A and AAAA records at the fake Cloudflare API and exits 0", async () => {
    const d = run(["once"], w.env({ DDNS_RECORDS: "arm64.example.com" }));
    expect(await d.exited(30_000)).toBe(0);
    expect(d.lines).toContain("INFO All 2 record(s) are confirmed up to date");
    expect(w.cf.contents("arm64.example.com", "A")).toEqual(["203.0.113.7"]);
    expect(w.cf.contents("arm64.example.com", "AAAA")).toEqual(["2001:db8::7"]);
  });

  // Bun 1.4.5 aborts at start-up when the page size is above 4K (consistent with WebKit's compile-time page-size
  // ceiling); qemu-user's -p makes the kernel's AT_PAGESZ say 16K or 64K, as a Raspberry Pi 5 kernel (kernel_2712,
  // 16K), Asahi (16K) or RHEL/Ubuntu "64k" kernels do. When this table changes with a new Bun, update
  // docs/platforms.md.
  it.skipIf(skip !== undefined).each([
    { name: "4K pages (Raspberry Pi OS on Pi 3/4, Debian, Ubuntu, Alpine, most boards): runs", pageSize: 4096, runs: true },
    { name: "16K pages (Raspberry Pi 5's default kernel, Asahi Linux): Bun 1.4.5 aborts at start", pageSize: 16384, runs: false },
    { name: "64K pages (RHEL/Oracle Linux arm64, Ubuntu's -64k kernels): Bun 1.4.5 aborts at start", pageSize: 65536, runs: false },
  ])("$name", async ({ pageSize, runs }) => {
    const d = run(["check"], { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "page-size-token-1", DDNS_RECORDS: "home.example.com" }, { pageSize });
    const code = await d.exited();
    if (runs) {
      expect(code).toBe(0);
      expect(d.lines).toContain("Configuration is valid: 1 record(s), provider cloudflare");
    } else {
      expect(code).toBe(134); // SIGABRT
      expect(d.lines.join("\n")).toContain("panic(main thread): abort() called");
    }
  });

  describe(`with the netlink source, in a network namespace${netnsUnavailable() ? ` — skipped: ${netnsUnavailable()}` : ""}`, () => {
    const netnsSkip = skip ?? netnsUnavailable();
    let ns: Netns | undefined;
    afterAll(() => ns?.remove());

    /** Runs tests/release/netlink-scenario.ts inside a fresh namespace with the emulated arm64 daemon. */
    async function scenario(env: Record<string, string>, follow: boolean) {
      ns?.remove();
      ns = createNetns("rel");
      const p = Bun.spawn(ns.exec("bun", join(import.meta.dir, "netlink-scenario.ts")), {
        env: { ...process.env, DDNSD_SCENARIO: JSON.stringify({ command: arm64(), env, follow }) },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [out, err, code] = [await new Response(p.stdout).text(), await new Response(p.stderr).text(), await p.exited];
      expect(code, err).toBe(0);
      return JSON.parse(out.trim().split("\n").at(-1)!) as { created: boolean; followedMs: number | null; finalA: string[]; exitCode: number; shutdownMs: number; lines: string[] };
    }

    it.skipIf(netnsSkip !== undefined)("follows the interface through kernel events (rtnetlink works under qemu-user) and stops on SIGTERM with exit 0", async () => {
      const r = await scenario({}, true);
      const log = r.lines.join("\n");
      expect(r.created, log).toBe(true);
      expect(r.lines).toContain("INFO IP source type: netlink");
      expect(log).not.toContain("Netlink is unavailable");
      // The poll interval is an hour, and the interface fallback would poll every 10 s: only an event explains this.
      expect(r.followedMs, log).not.toBeNull();
      expect(r.followedMs!).toBeLessThan(5000);
      expect(r.finalA).toEqual(["203.0.113.6"]);
      expect(r.exitCode).toBe(0);
      expect(r.lines).toContain("INFO Received shutdown signal: SIGTERM");
      expect(r.lines).toContain("INFO Shutdown complete");
      console.log(`arm64 under qemu: address change → record updated in ${r.followedMs!.toFixed(0)} ms; SIGTERM → exit in ${r.shutdownMs.toFixed(0)} ms`);
    }, 90_000);

    it.skipIf(netnsSkip !== undefined)("falls back to the interface source with its warning when bun:ffi cannot run (JIT off), publishes, and stops on SIGTERM with exit 0", async () => {
      const r = await scenario({ BUN_JSC_useJIT: "0" }, false);
      const log = r.lines.join("\n");
      const warning = r.lines.find((l) => l.startsWith("WARN Netlink is unavailable ("));
      expect(warning, log).toBeDefined();
      expect(warning!).toContain("bun:ffi requires the JIT");
      expect(warning!).toEndWith("falling back to the interface source, which polls the interface list and cannot see address flags interface=va");
      expect(r.created, log).toBe(true);
      expect(r.exitCode).toBe(0);
      expect(r.lines).toContain("INFO Shutdown complete");
    }, 90_000);
  });
});
