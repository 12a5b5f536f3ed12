import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compressedZeros } from "../fakes/hostile-bodies.ts";
import { startWorld, type TestWorld } from "./world.ts";

/**
 * The same source under Deno against a 1 GiB gzip bomb: Deno inflates gzip by itself only when it chose the
 * Accept-Encoding, so with ddnsd's `identity` the bomb arrives as sent and is refused from its headers.
 */
setDefaultTimeout(120_000);
const root = join(import.meta.dir, "..", "..");
const DENO_ARGS = ["deno", "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-ffi", "--allow-sys", "src/main.ts"];
let w: TestWorld;
beforeAll(async () => {
  await compressedZeros("gzip", 1024);
  w = await startWorld();
});
afterAll(() => w.stop());

describe("the daemon on Deno against a decompression bomb", () => {
  it("refuses the compressed answer unread and stays small", async () => {
    w.cf.faults.add({ kind: "gzip-bomb", path: "/zones", probability: 1 });
    const env = Object.fromEntries(Object.entries(w.env({ DDNS_RECORDS: "deno-bomb.example.com", DDNS_IP_VERSIONS: "4" })).filter((e): e is [string, string] => e[1] !== undefined));
    const p = Bun.spawn(DENO_ARGS, { cwd: root, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env }, stdout: "pipe", stderr: "pipe" });
    try {
      const decoder = new TextDecoder();
      let out = "";
      const line = 'Cloudflare answered HTTP 200 compressed (Content-Encoding "gzip"); ddnsd asks for uncompressed answers and does not inflate one';
      for await (const chunk of p.stdout) {
        out += decoder.decode(chunk, { stream: true });
        if (out.includes(line)) break;
      }
      expect(out).toContain(line);
      const hwmKiB = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"))?.[1] ?? 0);
      console.log(`VmHWM of the daemon on Deno against a 1 GiB gzip bomb: ${hwmKiB} KiB`);
      expect(hwmKiB).toBeLessThan(300 * 1024);
      expect(out).not.toContain(w.token);
    } finally {
      p.kill("SIGKILL");
      w.cf.faults.clear();
    }
  });
});
