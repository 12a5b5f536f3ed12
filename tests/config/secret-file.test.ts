import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.ts";
import { MAX_SECRET_FILE_BYTES } from "../../src/config/secret-file.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { readSecretFile } from "../../src/runtime/read-secret-file.ts";

/**
 * Every `_FILE` secret goes through one reader (src/runtime/read-secret-file.ts, the real one here) and one set of
 * rules (src/config/secret-file.ts): regular files of at most 64 KiB, never read beyond the cap.
 */
const dir = mkdtempSync(join(tmpdir(), "ddnsd-secret-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | number) => {
  const path = join(dir, name);
  if (typeof content === "number") {
    writeFileSync(path, "");
    truncateSync(path, content); // sparse: the size without the disk space
  } else writeFileSync(path, content);
  return path;
};
const fifo = () => {
  const path = join(dir, `fifo-${Math.random().toString(36).slice(2)}`);
  Bun.spawnSync(["mkfifo", path]);
  return path;
};
const directory = () => {
  const path = join(dir, "a-directory");
  mkdirSync(path, { recursive: true });
  return path;
};

const BASE = { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_RECORDS: "home.example.com" };
const PUSH = { ...BASE, DDNS_PROVIDER_API_TOKEN: "provider-token-1", DDNS_IP_SOURCE_TYPE: "push", DDNS_UPDATE_USERNAME: "router" };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ providers: ALL_PROVIDERS, env, readFile: readSecretFile });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("secret files: regular files of at most 64 KiB, for every _FILE secret", () => {
  it.each([
    { name: "a FIFO (no writer: a plain read would block forever)", path: fifo, why: "not a regular file: a FIFO" },
    { name: "/dev/zero (endless)", path: () => "/dev/zero", why: "not a regular file: a character device" },
    { name: "a directory", path: directory, why: "not a regular file: a directory" },
    { name: "a 200 MiB file", path: () => file("huge", 200 * 1024 * 1024), why: "larger than 64 KiB; a secret file holds only the secret" },
    { name: "one byte over the cap", path: () => file("over", "x".repeat(MAX_SECRET_FILE_BYTES + 1)), why: "larger than 64 KiB; a secret file holds only the secret" },
    { name: "a missing file", path: () => join(dir, "missing"), why: "no such file" },
  ])("refuses $name, naming the variable, for the token and the update password", ({ path, why }) => {
    const p = path();
    for (const [variable, env] of [
      ["DDNS_PROVIDER_API_TOKEN_FILE", { ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: p }],
      ["DDNS_UPDATE_PASSWORD_FILE", { ...PUSH, DDNS_UPDATE_PASSWORD_FILE: p }],
    ] as const) {
      const error = errorOf(env);
      expect({ variable: error.variable, message: error.message }).toEqual({ variable, message: `${variable} could not be read: ${JSON.stringify(p)} (${why}).` });
    }
  });

  it("accepts a file of exactly 64 KiB", () => {
    const token = "t".repeat(MAX_SECRET_FILE_BYTES - 1);
    const { config } = loadConfig({ providers: ALL_PROVIDERS, env: { ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: file("at-cap", `${token}\n`) }, readFile: readSecretFile });
    expect(config.targets[0]!.provider.settings).toMatchObject({ token });
  });

  it("reads no more than the cap from a file whose size the stat does not tell (/proc/kallsyms: 0 bytes, megabytes long)", () => {
    const rchar = () => Number(/rchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))![1]);
    const before = rchar();
    expect(() => readSecretFile("/proc/kallsyms", MAX_SECRET_FILE_BYTES)).toThrow(expect.objectContaining({ code: "EFBIG" }));
    const read = rchar() - before;
    expect(read).toBeLessThan(MAX_SECRET_FILE_BYTES + 16 * 1024); // the cap + 1, plus /proc/self/io itself
  });

  it("a reader that ignores the cap still cannot hand a larger secret through", () => {
    const big = () => "x".repeat(MAX_SECRET_FILE_BYTES + 10);
    expect(() => loadConfig({ providers: ALL_PROVIDERS, env: { ...BASE, DDNS_PROVIDER_API_TOKEN_FILE: "/fake" }, readFile: big })).toThrow(
      'DDNS_PROVIDER_API_TOKEN_FILE could not be read: "/fake" (larger than 64 KiB; a secret file holds only the secret).',
    );
  });
});
