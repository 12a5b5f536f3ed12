import { ALL_PROVIDERS } from "../../src/providers/registry.ts";
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from "bun:test";
import fc from "fast-check";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.ts";
import { knownVariables } from "../../src/config/known-variables.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { createMemoryLogger } from "../../src/log/logger.ts";
import { assertNoSecretLeaked, runBinary } from "../blackbox/harness.ts";
import { malformedCase, validCase, type Case, type FileSpec } from "./config-arbitraries.ts";
import { FUZZ } from "./fuzz-kit.ts";

/**
 * Configuration fuzzing: hundreds of generated environments, each valid but for one fault, against the real loader
 * (one ConfigError naming the faulty variable, one short line, never the secret), and a sample against dist/ddnsd
 * (exit 1, one stderr line and a hint per mistyped variable, no stack trace). Generated valid configurations pass, in-process and `check`.
 */
setDefaultTimeout(60_000);
afterAll(assertNoSecretLeaked);

const SEED = FUZZ.seed(20_261_126);
const MALFORMED_RUNS = FUZZ.malformedConfigs;
const VALID_RUNS = FUZZ.validConfigs;
const BINARY_SAMPLE = FUZZ.binaryMalformed;
const MAX_MESSAGE = 512;

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
function readerFor(files: FileSpec[]) {
  return (path: string): string => {
    const file = files.find((f) => f.path === path || path.endsWith(`/${f.path.split("/").pop()}`));
    if (file?.kind === "text") return file.text;
    throw errno(file?.kind === "directory" ? "EISDIR" : file?.kind === "denied" ? "EACCES" : "ENOENT");
  };
}

/** The loader's verdict on one case: the ConfigError, or the config. Anything else thrown is a failure. */
function loadCase(c: Case) {
  try {
    return { ok: true as const, loaded: loadConfig({ providers: ALL_PROVIDERS, env: c.env, readFile: readerFor(c.files) }) };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false as const, error };
    throw new Error(`${c.label}: the loader threw ${String(error)} instead of a ConfigError`);
  }
}

/** The properties every malformed case must have, as one list of problems (empty = fine). */
function malformedProblems(c: Case): string[] {
  const verdict = loadCase(c);
  if (verdict.ok) return [`${c.label}: accepted`];
  const { message, variable } = verdict.error;
  const problems: string[] = [];
  if (variable !== c.variable) problems.push(`${c.label}: names ${variable}, expected ${c.variable}`);
  if (!message.includes(c.variable!)) problems.push(`${c.label}: message does not name ${c.variable}: ${message.slice(0, 120)}`);
  if (/[\r\n]/.test(message)) problems.push(`${c.label}: message spans lines`);
  if (message.length > MAX_MESSAGE) problems.push(`${c.label}: message is ${message.length} characters long`);
  if (message.includes(c.secret)) problems.push(`${c.label}: message contains the secret`);
  return problems;
}

describe("configuration fuzzing against loadConfig", () => {
  it(`${MALFORMED_RUNS} malformed environments each fail with one short line naming the faulty variable, never the secret`, () => {
    const problems: string[] = [];
    fc.assert(fc.property(malformedCase, (c) => void problems.push(...malformedProblems(c))), { seed: SEED, numRuns: MALFORMED_RUNS });
    expect(problems).toEqual([]);
  });

  it(`${VALID_RUNS} generated valid environments load, and the provider they name accepts them too`, () => {
    fc.assert(
      fc.property(validCase, (c) => {
        const verdict = loadCase(c);
        if (!verdict.ok) throw new Error(`${c.label} refused: ${verdict.error.message}`);
        const { config } = verdict.loaded;
        // `check` only runs the loader; `run` also builds the provider, which must not find a fault check missed.
        for (const t of config.targets) ALL_PROVIDERS.create(t.provider, { fetch, log: createMemoryLogger(), onRequest: () => {}, now: Date.now, random: Math.random, userAgent: "test" });
      }),
      { seed: SEED + 1, numRuns: VALID_RUNS },
    );
  });
});

/** Writes a case's token files into `dir` and points the env there. */
function materialise(c: Case, dir: string): Record<string, string | undefined> {
  const env = { ...c.env };
  for (const f of c.files) {
    const path = join(dir, f.path.split("/").pop()!);
    if (f.kind === "text") writeFileSync(path, f.text);
    if (f.kind === "directory") mkdirSync(path);
    env.DDNS_PROVIDER_API_TOKEN_FILE = path;
  }
  if (env.DDNS_PROVIDER_API_TOKEN_FILE?.startsWith("/run/secrets/")) env.DDNS_PROVIDER_API_TOKEN_FILE = join(dir, "absent");
  return env;
}

describe("configuration fuzzing against dist/ddnsd", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "ddnsd-cfgfuzz-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Root reads any file, so "permission denied" is covered in-process only; env values cannot hold NUL.
  const sendable = (c: Case) => !c.files.some((f) => f.kind === "denied") && !Object.values(c.env).some((v) => v?.includes("\0"));

  it(`a sample of ${BINARY_SAMPLE} malformed environments: check and run exit 1 with one stderr line naming the variable`, async () => {
    const sample = fc.sample(malformedCase.filter(sendable), { seed: SEED + 2, numRuns: BINARY_SAMPLE });
    for (const [i, c] of sample.entries()) {
      const env = materialise(c, mkdtempSync(join(dir, `m${i}-`)));
      for (const command of i % 2 === 0 ? ["check", "run"] : ["check", "once"]) {
        const r = await runBinary([command], env);
        const context = `${c.label} (${command}): ${JSON.stringify(r.lines).slice(0, 300)}`;
        expect(r.code, context).toBe(1);
        // The error line, then one hint per mistyped DDNS_ variable the case carries (the typo is often the cause).
        const unknown = Object.keys(c.env).filter((k) => k.startsWith("DDNS_") && !(knownVariables(ALL_PROVIDERS) as readonly string[]).includes(k));
        expect(r.stderr, context).toHaveLength(1 + unknown.length);
        expect(r.stderr.slice(1), context).toEqual(unknown.map((k) => expect.stringMatching(new RegExp(`^warning: Unknown variable ${k} is ignored`))));
        expect(r.lines, context).toEqual(r.stderr);
        expect(r.stderr[0], context).toStartWith("Configuration error: ");
        expect(r.stderr[0], context).toContain(c.variable!);
        expect(r.stderr[0], context).not.toMatch(/\n|^\s+at |\.ts:\d+/);
      }
    }
  });

  it("a sample of generated valid environments passes check with exit 0", async () => {
    const sample = fc.sample(validCase, { seed: SEED + 3, numRuns: FUZZ.binaryValid });
    for (const c of sample) {
      const r = await runBinary(["check"], c.env);
      expect(r.code, `${c.label}: ${r.lines.join(" | ")}`).toBe(0);
      expect(r.lines.at(-1)).toStartWith("Configuration is valid: ");
      expect(r.stderr).toEqual([]);
    }
  });
});
