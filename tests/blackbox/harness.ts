import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "bun:test";

/** The compiled binary under test. `bun run build` makes it; `bun run test:all` builds before testing. */
export const BINARY = join(import.meta.dir, "..", "..", "dist", "ddnsd");

export function requireBinary(): void {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run "bun run build" first (bun run test:all does)`);
}

/** Every secret a black-box test used, and everything the processes printed: checked together (secret hygiene). */
const secretsSeen = new Set<string>();
const outputs: string[] = [];

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

/** Starts `dist/ddnsd` with exactly `env` (plus PATH), recording its output. */
export function spawnDaemon(args: string[], env: Record<string, string | undefined>, secrets: string[] = []): Daemon {
  requireBinary();
  const cleanEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  for (const s of secrets) secretsSeen.add(s);
  if (env.DDNS_PROVIDER_API_TOKEN) secretsSeen.add(env.DDNS_PROVIDER_API_TOKEN);
  const proc = Bun.spawn([BINARY, ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...cleanEnv }, stdout: "pipe", stderr: "pipe", stdin: "ignore" });
  const lines: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const done = Promise.all([pump(proc.stdout as ReadableStream<Uint8Array>, stdout, lines, notify), pump(proc.stderr as ReadableStream<Uint8Array>, stderr, lines, notify)]);
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
      return code;
    },
    kill: (signal = "SIGTERM") => proc.kill(signal),
  };
}

/** Runs the binary to completion and returns its exit code and output. */
export async function runBinary(args: string[], env: Record<string, string | undefined>, timeoutMs = 20_000) {
  const d = spawnDaemon(args, env);
  const code = await d.exited(timeoutMs);
  return { code, lines: d.lines, stderr: d.stderr };
}

/** Secret hygiene: no secret a test used may appear in anything any process printed. Call in afterAll. */
export function assertNoSecretLeaked(): void {
  const text = outputs.join("\n");
  for (const secret of secretsSeen) {
    if (secret.length >= 4) expect(text.includes(secret), `secret ${secret.slice(0, 2)}… appeared in daemon output`).toBe(false);
  }
}
