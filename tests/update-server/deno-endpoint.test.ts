import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { join } from "node:path";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";
import { curl } from "./clients.ts";

/**
 * The same source under Deno (`deno run src/main.ts`, as `deno task start` does): the update endpoint is served
 * through serve-deno.ts, whose socket peer (Deno.serve's `info.remoteAddr`) must reach the endpoint too.
 */
const ROOT = join(import.meta.dir, "..", "..");
const TOKEN = "cf-deno-token-1212";
const PASSWORD = "deno-router-3434";
const DENO = Bun.which("deno");

let cf: FakeCloudflare;
beforeAll(async () => {
  cf = await startFakeCloudflare({ token: TOKEN, zones: ["example.com"] });
});
afterAll(() => cf.stop());

async function freePort(): Promise<number> {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
  const port = s.port!;
  await s.stop(true);
  return port;
}

describe("the update endpoint on Deno", () => {
  it("updates through serve-deno.ts and sees the socket peer", async () => {
    if (!DENO) throw new Error("deno is not installed: these tests need it (npm install -g deno)");
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/root", DENO_DIR: process.env.DENO_DIR ?? "",
      DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: TOKEN, DDNS_PROVIDER_API_URL: cf.url,
      DDNS_RECORDS: "home.example.com", DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: "router",
      DDNS_UPDATE_PASSWORD: PASSWORD, DDNS_HTTP_ADDR: `127.0.0.1:${port}`,
    };
    const args = [DENO, "run", "--allow-net", "--allow-env", "--allow-read", "--allow-write", "--allow-sys", "src/main.ts"];
    const proc = Bun.spawn(args, { cwd: ROOT, env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")), stdout: "pipe", stderr: "pipe" });
    const lines: string[] = [];
    const reader = (async () => {
      for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) lines.push(...new TextDecoder().decode(chunk).split("\n"));
    })();
    try {
      const deadline = Date.now() + 60_000;
      while (!lines.some((l) => l.includes("Ready to monitor IP changes"))) {
        if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`deno did not start:\n${lines.join("\n")}\n${await new Response(proc.stderr).text()}`);
        await Bun.sleep(100);
      }
      const url = `http://127.0.0.1:${port}/nic/update?hostname=home.example.com`;
      expect(await curl(`${url}&myip=203.0.113.7,2001:db8::7`, { user: "router", password: PASSWORD })).toEqual({ status: 200, body: "good 203.0.113.7,2001:db8::7\n" });
      expect(cf.contents("home.example.com", "AAAA")).toEqual(["2001:db8::7"]);
      expect(await curl(url, { user: "router", password: PASSWORD })).toEqual({ status: 400, body: "badrequest\n" });
      await Bun.sleep(100);
      expect(lines.join("\n")).toContain('no myip was given and the caller\'s address "127.0.0.1" is a loopback address');
      expect(lines.join("\n")).not.toContain(PASSWORD);
    } finally {
      proc.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
      await reader;
    }
  }, 90_000);
});
