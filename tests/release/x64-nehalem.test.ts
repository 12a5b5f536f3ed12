import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { assertNoSecretLeaked, spawnDaemon } from "../blackbox/harness.ts";
import { startWorld, type TestWorld } from "../blackbox/world.ts";
import { emulated, ensureRelease, releaseBinary, target, VERSION, whyNoEmulator } from "./fixtures.ts";

/**
 * dist/release/ddnsd-linux-x64 on x86-64 CPUs without AVX, emulated by qemu-x86_64-static -cpu MODEL (this machine's
 * own glibc). Nehalem (2008; x86-64-v2: SSE4.2, POPCNT, no AVX) is the oldest CPU the release supports; Penryn
 * (SSE4.1, no POPCNT) is older, and the executable must stop there with SIGILL — which also shows that qemu really
 * withholds the instructions a model lacks, so the Nehalem runs mean what they say.
 */

setDefaultTimeout(60_000);
const X64 = target("x64");
const skip = whyNoEmulator(X64);
let w: TestWorld;
const on = (cpu: string) => emulated(X64, releaseBinary("x64"), { cpu });
const run = (cpu: string, args: string[], env: Record<string, string | undefined>) => spawnDaemon(args, env, [], { command: on(cpu) });

describe(`dist/release/ddnsd-linux-x64 on CPUs without AVX (qemu-x86_64-static -cpu …)${skip ? ` — skipped: ${skip}` : ""}`, () => {
  beforeAll(async () => {
    if (skip) return;
    ensureRelease();
    w = await startWorld();
  }, 300_000);
  afterAll(async () => {
    await w?.stop();
    if (!skip) assertNoSecretLeaked();
  });

  it.skipIf(skip !== undefined).each([
    { name: "Nehalem (x86-64-v2, no AVX): --version", cpu: "Nehalem", args: ["--version"], code: 0, line: `ddnsd ${VERSION} (bun)` },
    { name: "Penryn (no SSE4.2/POPCNT, older than x86-64-v2): stops with SIGILL", cpu: "Penryn", args: ["--version"], code: 132, line: undefined },
  ])("$name", async ({ cpu, args, code, line }) => {
    const d = run(cpu, [...args], {});
    expect(await d.exited()).toBe(code);
    if (line) expect(d.lines).toEqual([line]);
  });

  it.skipIf(skip !== undefined)("Nehalem: check validates a configuration and redacts the token", async () => {
    const d = run("Nehalem", ["check"], { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: "nehalem-check-token-9", DDNS_RECORDS: "home.example.com" });
    expect(await d.exited()).toBe(0);
    expect(d.lines).toContain("DDNS_PROVIDER_API_TOKEN=[REDACTED] (21 characters)");
    expect(d.lines).toContain("Configuration is valid: 1 record(s), provider cloudflare");
  });

  it.skipIf(skip !== undefined)("Nehalem: once creates the A and AAAA records at the fake Cloudflare API and exits 0", async () => {
    const d = run("Nehalem", ["once"], w.env({ DDNS_RECORDS: "nehalem.example.com" }));
    expect(await d.exited(30_000)).toBe(0);
    expect(d.lines).toContain("INFO All 2 record(s) are confirmed up to date");
    expect(w.cf.contents("nehalem.example.com", "A")).toEqual(["203.0.113.7"]);
    expect(w.cf.contents("nehalem.example.com", "AAAA")).toEqual(["2001:db8::7"]);
  });
});
