import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoSecretLeaked, runBinary } from "./harness.ts";

/**
 * The compiled binary reads no file it was not told to read. Bun's executables would load `.env`, `.env.local`
 * and `bunfig.toml` (whose `preload` runs code) from the working directory; scripts/build.ts turns that off.
 */
setDefaultTimeout(60_000);
afterAll(assertNoSecretLeaked);

let dir = "";
const marker = () => join(dir, "preload-ran");
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ddnsd-cwd-"));
  const config = "DDNS_PROVIDER_TYPE=cloudflare\nDDNS_PROVIDER_API_TOKEN=dotenv-token-should-not-load\nDDNS_RECORDS=home.example.com\n";
  writeFileSync(join(dir, ".env"), config);
  writeFileSync(join(dir, ".env.local"), config);
  writeFileSync(join(dir, ".env.production"), config);
  writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./preload.ts"]\n');
  writeFileSync(join(dir, "preload.ts"), `require("node:fs").writeFileSync(${JSON.stringify(marker())}, "ran");\n`);
  writeFileSync(join(dir, "preload.js"), `require("node:fs").writeFileSync(${JSON.stringify(marker())}, "ran");\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("dist/ddnsd in a directory holding .env, .env.local and bunfig.toml", () => {
  it.each([{ command: "check" }, { command: "--version" }])("$command reads none of them", async ({ command }) => {
    const r = await runBinary([command], {}, 20_000, { cwd: dir });
    if (command === "check") expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: ["Configuration error: DDNS_PROVIDER_TYPE is required."] });
    else expect(r.code).toBe(0);
    expect(existsSync(marker())).toBe(false);
  });
});
