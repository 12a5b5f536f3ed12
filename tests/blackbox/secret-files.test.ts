import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";

/**
 * `_FILE` secrets that are not small regular files are refused at once with a configuration error naming the
 * variable: no hang on a FIFO without a writer, no memory growth on /dev/zero or a huge file.
 */
setDefaultTimeout(60_000);
afterAll(assertNoSecretLeaked);

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_RECORDS: "home.example.com" };
let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ddnsd-secret-files-"));
  Bun.spawnSync(["mkfifo", join(dir, "fifo")]);
  mkdirSync(join(dir, "directory"));
  writeFileSync(join(dir, "huge"), "");
  truncateSync(join(dir, "huge"), 200 * 1024 * 1024);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dist/ddnsd refuses secret files that are not small regular files", () => {
  it.each([
    { name: "a FIFO", file: "fifo", why: "not a regular file: a FIFO" },
    { name: "/dev/zero", file: "/dev/zero", why: "not a regular file: a character device" },
    { name: "a directory", file: "directory", why: "not a regular file: a directory" },
    { name: "a 200 MiB file", file: "huge", why: "larger than 64 KiB; a secret file holds only the secret" },
  ])("$name: exit 1 within seconds, one line naming the variable", async ({ file, why }) => {
    const path = file.startsWith("/") ? file : join(dir, file);
    for (const [variable, env] of [
      ["DDNS_PROVIDER_API_TOKEN_FILE", { ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: path }],
      ["DDNS_UPDATE_PASSWORD_FILE", { ...BASE, DDNS_PROVIDER_API_TOKEN: "secret-files-token-9", DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: "router", DDNS_UPDATE_PASSWORD_FILE: path }],
    ] as const) {
      const started = performance.now();
      const r = await runBinary(["check"], env, 5_000);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: [`Configuration error: ${variable} could not be read: ${JSON.stringify(path)} (${why}).`] });
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});
