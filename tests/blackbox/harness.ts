import { expect } from "bun:test";
import { MAX_SECRET_FILE_BYTES } from "../../src/config/secret-file.ts";
import { readSecretFile } from "../../src/runtime/read-secret-file.ts";
import { BINARY, ensureBinary } from "./binary.ts";

/** The compiled binary under test: built by the first test that needs it when missing or stale (binary.ts). */
export { BINARY };

export function requireBinary(): void {
  ensureBinary();
}

/**
 * Secret hygiene, in one place for every black-box test: every secret a test used (registered by spawnDaemon from
 * the env, the token file and the `secrets` argument), and everything the processes printed and every HTTP body
 * fetched through `fetchChecked`. Each daemon is checked when its output ends (a leak fails `exited()`/`runBinary`
 * at once and is remembered for `assertNoSecretLeaked`, so even a daemon killed in an afterEach is covered).
 */
const secretsSeen = new Set<string>();
const outputs: string[] = [];
const leaksFound: string[] = [];

/** The secrets (4+ characters) that occur in `text`; pure, so the check itself can be tested with a planted leak. */
export function findLeaks(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((s) => s.length >= 4 && text.includes(s));
}

const describeLeak = (where: string, secret: string) => `secret ${secret.slice(0, 2)}… appeared in ${where}`;

/** Records a fetched body (e.g. /metrics, /status) as output and fails at once if it holds a known secret. */
export async function fetchChecked(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await fetch(url, init);
  const body = await response.text();
  outputs.push(body);
  const leaked = findLeaks(body, secretsSeen).map((s) => describeLeak(`the body of ${url}`, s));
  leaksFound.push(...leaked);
  if (leaked.length) throw new Error(leaked.join("; "));
  return { status: response.status, headers: response.headers, body };
}

export interface Daemon {
  proc: ReturnType<typeof Bun.spawn>;
  /** stdout and stderr lines so far, in arrival order per stream. */
  lines: string[];
  stderr: string[];
  waitForLine(match: string | RegExp, timeoutMs?: number): Promise<string>;
  exited(timeoutMs?: number): Promise<number>;
  kill(signal?: NodeJS.Signals | number): void;
}

async function pump(stream: ReadableStream<Uint8Array>, sink: string[], all: string[], notify: () => void) {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      sink.push(line);
      all.push(line);
      outputs.push(line);
      notify();
    }
  }
  if (buffer) {
    sink.push(buffer);
    all.push(buffer);
    outputs.push(buffer);
    notify();
  }
}

/**
 * The secret a token file holds, if the file can be read now (it is registered like the token itself). Read the way
 * the daemon reads it: a FIFO, a device or a huge file (tests of exactly those) is skipped, never read.
 */
function tokenFileSecret(path: string | undefined): string[] {
  try {
    return path ? [readSecretFile(path.trim(), MAX_SECRET_FILE_BYTES).trim()] : [];
  } catch {
    return [];
  }
}

/**
 * Starts `dist/ddnsd` with exactly `env` (plus PATH), recording its output. `options.shareSecrets: false` keeps this
 * daemon's secrets to its own check (for a test that plants a leak on purpose); `options.prefix` is argv put before
 * the binary (e.g. `ip netns exec NS`, which execs in place, so the pid is the daemon's); `options.command` replaces
 * dist/ddnsd (e.g. a release executable under qemu-user: `qemu-aarch64-static -L SYSROOT dist/release/…`);
 * `options.cwd` is its working directory (the test process's by default).
 */
export interface SpawnOptions {
  shareSecrets?: boolean;
  prefix?: string[];
  command?: string[];
  cwd?: string;
}

export function spawnDaemon(args: string[], env: Record<string, string | undefined>, secrets: string[] = [], options: SpawnOptions = {}): Daemon {
  if (!options.command) requireBinary();
  const cleanEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const own = [...secrets, env.DDNS_PROVIDER_API_TOKEN ?? "", ...tokenFileSecret(env.DDNS_PROVIDER_API_TOKEN_FILE)].filter((s) => s.length >= 4);
  if (options.shareSecrets !== false) for (const s of own) secretsSeen.add(s);
  const proc = Bun.spawn([...(options.prefix ?? []), ...(options.command ?? [BINARY]), ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...cleanEnv },
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  let ownLeaks: string[] = [];
  const done = Promise.all([pump(proc.stdout as ReadableStream<Uint8Array>, stdout, lines, notify), pump(proc.stderr as ReadableStream<Uint8Array>, stderr, lines, notify)]).then(() => {
    ownLeaks = findLeaks(lines.join("\n"), new Set([...own, ...secretsSeen])).map((s) => describeLeak(`the output of ddnsd ${args.join(" ")}`, s));
    if (options.shareSecrets !== false) leaksFound.push(...ownLeaks);
  });
  return {
    proc,
    lines,
    stderr,
    waitForLine(match, timeoutMs = 10_000) {
      const test = (l: string) => (typeof match === "string" ? l.includes(match) : match.test(l));
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(test);
          if (found !== undefined) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no line matching ${String(match)} within ${timeoutMs} ms; output so far:\n${lines.join("\n")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async exited(timeoutMs = 15_000) {
      const code = await Promise.race([proc.exited, Bun.sleep(timeoutMs).then(() => "timeout" as const)]);
      if (code === "timeout") {
        proc.kill("SIGKILL");
        throw new Error(`the daemon did not exit within ${timeoutMs} ms; output:\n${lines.join("\n")}`);
      }
      await done;
      if (ownLeaks.length) throw new Error(`${ownLeaks.join("; ")}; output:\n${lines.join("\n")}`);
      return code;
    },
    kill: (signal = "SIGTERM") => proc.kill(signal),
  };
}

/** Runs the binary to completion and returns its exit code and output. */
export async function runBinary(args: string[], env: Record<string, string | undefined>, timeoutMs = 20_000, options: SpawnOptions = {}) {
  const d = spawnDaemon(args, env, [], options);
  const code = await d.exited(timeoutMs);
  return { code, lines: d.lines, stderr: d.stderr };
}

/** Secret hygiene: no secret a test used may appear in anything any process printed. Call in afterAll. */
export function assertNoSecretLeaked(): void {
  expect(leaksFound).toEqual([]);
  const text = outputs.join("\n");
  for (const secret of secretsSeen) {
    if (secret.length >= 4) expect(text.includes(secret), `secret ${secret.slice(0, 2)}… appeared in daemon output`).toBe(false);
  }
}

/** How many secrets and outputs the hygiene check covers so far (for reports). */
export const hygieneCoverage = () => ({ secrets: secretsSeen.size, outputs: outputs.length });
