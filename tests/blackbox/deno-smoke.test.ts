import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freshClone } from "./fresh-clone.ts";
import { freePort, startWorld, until, type TestWorld } from "./world.ts";

/** The same source under Deno (`deno task start`'s command line): once against the fake API, and run + SIGTERM. */
setDefaultTimeout(120_000);
const root = join(import.meta.dir, "..", "..");
const START_TASK = (JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { tasks: { start: string } }).tasks.start;
const DENO_ARGS = START_TASK.split(/\s+/);
let w: TestWorld;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w.stop());

const envOf = (env: Record<string, string | undefined>) => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "/root",
  ...Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
});

function deno(args: string[], env: Record<string, string | undefined>) {
  return Bun.spawn([...DENO_ARGS, ...args], { cwd: root, env: envOf(env), stdout: "pipe", stderr: "pipe" });
}

describe("deno task start on a fresh clone (no node_modules)", () => {
  it("resolves every import and runs once against the fake API", async () => {
    const dir = freshClone();
    try {
      const p = Bun.spawn(["deno", "task", "--quiet", "start", "once"], { cwd: dir, env: envOf(w.env({ DDNS_RECORDS: "fresh-clone.example.com" })), stdout: "pipe", stderr: "pipe" });
      const code = await p.exited;
      const out = `${await new Response(p.stdout).text()}${await new Response(p.stderr).text()}`;
      expect(out).not.toContain("Could not find");
      expect(out).toContain("INFO Created A record fresh-clone.example.com → 203.0.113.7");
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the daemon on Deno", () => {
  it("once creates the records and exits 0", async () => {
    const p = deno(["once"], w.env({ DDNS_RECORDS: "deno.example.com" }));
    const code = await p.exited;
    const out = `${await new Response(p.stdout).text()}${await new Response(p.stderr).text()}`;
    expect(out).toContain("INFO Created A record deno.example.com → 203.0.113.7");
    expect(code).toBe(0);
    expect(w.cf.contents("deno.example.com", "AAAA")).toEqual(["2001:db8::7"]);
    expect(out).not.toContain(w.token);
  });

  it("--version names the runtime", async () => {
    const p = deno(["--version"], {});
    expect(await p.exited).toBe(0);
    expect((await new Response(p.stdout).text()).trim()).toEndWith("(deno)");
  });

  it("run serves /healthz through Deno.serve and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const p = deno([], w.env({ DDNS_RECORDS: "deno-run.example.com", DDNS_HTTP_ADDR: `127.0.0.1:${port}`, DDNS_IP_VERSIONS: "4" }));
    await until(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0), (s) => s === 200, 60_000, "deno readiness");
    p.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    const out = await new Response(p.stdout).text();
    expect(out).toContain("INFO Received shutdown signal: SIGTERM");
    expect(out).toContain("INFO Shutdown complete");
  });

  it("run on Deno: SIGHUP checks now; SIGUSR2, SIGALRM, SIGXFSZ are ignored with a line; SIGTERM exits 0", async () => {
    const p = deno([], w.env({ DDNS_RECORDS: "deno-signals.example.com", DDNS_IP_VERSIONS: "4", DDNS_POLL_INTERVAL: "1h" }));
    const decoder = new TextDecoder();
    let out = "";
    const reading = (async () => {
      for await (const chunk of p.stdout as ReadableStream<Uint8Array>) out += decoder.decode(chunk, { stream: true });
    })();
    await until(() => out, (o) => o.includes("A record deno-signals.example.com"), 60_000, "the first round");
    const hits = w.ip.hits();
    p.kill("SIGHUP");
    await until(() => w.ip.hits(), (n) => n > hits, 5000, "a round after SIGHUP");
    for (const signal of ["SIGUSR2", "SIGALRM", "SIGXFSZ"] as const) {
      p.kill(signal);
      await until(() => out, (o) => o.includes(`INFO Received ${signal}: ignored (SIGHUP checks now; SIGTERM or SIGINT stops ddnsd)`), 5000, signal);
    }
    expect(p.exitCode).toBeNull();
    p.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    await reading;
    expect(out).toContain("INFO Received SIGHUP: checking now");
    expect(out.trimEnd().split("\n").slice(-3)).toEqual(["INFO Received shutdown signal: SIGTERM", "INFO Shutting down daemon", "INFO Shutdown complete"]);
  });
});
