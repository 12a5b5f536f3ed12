import { join } from "node:path";
import type { Readable } from "node:stream";
import { Miniflare } from "miniflare";
import { startFakeCloudflare, type FakeCloudflare } from "../fakes/cloudflare/fake-cloudflare.ts";

/**
 * Runs src/worker.ts in a real Workers runtime: workerd (the binary from the `workerd` npm package, driven by
 * Miniflare) on a loopback port, with the compatibility date and flags of wrangler.toml, against the fake
 * Cloudflare API. The Worker is bundled the way wrangler does it (ESM, `node:*` left to nodejs_compat).
 */
const ROOT = join(import.meta.dir, "..", "..");

export const CF_TOKEN = "cf-worker-token-0123456789";
export const USER = "router";
export const PASSWORD = "push-secret-9876";

export interface WorkerUnderTest {
  /** `http://127.0.0.1:PORT` of workerd's listener (real sockets, for curl and ddclient). */
  origin: string;
  cf: FakeCloudflare;
  /** Everything the Worker printed (console.log → workerd's stdout). */
  output: string[];
  /** A request through Miniflare, which lets a test choose `CF-Connecting-IP` like Cloudflare's edge would. */
  dispatch(path: string, init?: { auth?: [string, string] | string; ip?: string; method?: string }): Promise<{ status: number; body: string; headers: Headers }>;
  stop(): Promise<void>;
}

let bundled: string | undefined;

export async function bundleWorker(): Promise<string> {
  if (bundled) return bundled;
  const out = await Bun.build({ entrypoints: [join(ROOT, "src/worker.ts")], target: "browser", format: "esm", external: ["node:*"] });
  if (!out.success) throw new Error(`bundling src/worker.ts failed: ${out.logs.join("\n")}`);
  bundled = await out.outputs[0]!.text();
  return bundled;
}

export async function wranglerToml(): Promise<{ compatibility_date: string; compatibility_flags: string[]; vars: Record<string, string> }> {
  return Bun.TOML.parse(await Bun.file(join(ROOT, "wrangler.toml")).text()) as never;
}

export const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

export async function startWorker(vars: Record<string, string> = {}, zones = ["example.com"]): Promise<WorkerUnderTest> {
  const cf = await startFakeCloudflare({ token: CF_TOKEN, zones });
  const toml = await wranglerToml();
  const output: string[] = [];
  const collect = (stream: NodeJS.ReadableStream) =>
    stream.on("data", (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: toml.compatibility_date,
    compatibilityFlags: toml.compatibility_flags,
    bindings: {
      ...toml.vars,
      DDNS_PROVIDER_API_URL: cf.url,
      DDNS_PROVIDER_API_TOKEN: CF_TOKEN,
      DDNS_UPDATE_PASSWORD: PASSWORD,
      DDNS_RECORDS: "home.example.com,office.example.com",
      DDNS_UPDATE_USERNAME: USER,
      ...vars,
    },
    host: "127.0.0.1",
    port: 0,
    handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
      collect(stdout);
      collect(stderr);
    },
  });
  const url = await mf.ready;
  return {
    origin: url.origin,
    cf,
    output,
    async dispatch(path, init = {}) {
      const headers: Record<string, string> = { "User-Agent": "ddnsd-test/1.0" };
      if (init.auth !== undefined) headers.Authorization = typeof init.auth === "string" ? init.auth : basic(...init.auth);
      if (init.ip !== undefined) headers["CF-Connecting-IP"] = init.ip;
      const res = await mf.dispatchFetch(`http://ddns.example.com${path}`, { method: init.method ?? "GET", headers });
      return { status: res.status, body: await res.text(), headers: res.headers as unknown as Headers };
    },
    async stop() {
      await mf.dispose();
      await cf.stop();
    },
  };
}
