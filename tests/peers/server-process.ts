import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";

/**
 * Starts and stops the real servers the provider tests talk to. A missing binary is a hard failure with the Debian
 * package to install (CI installs them); nothing is skipped. Every child is killed when the test process exits.
 */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export function requireBinary(name: string, debianPackage: string): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} is not installed: these tests need it (apt-get install ${debianPackage})`);
}

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ddnsd-${prefix}-`));
}

export interface ServerProcess {
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  exited(): boolean;
  stop(): Promise<void>;
}

export function startProcess(binary: string, args: string[], cwd: string): ServerProcess {
  const child = spawn(binary, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  let exitedFlag = false;
  child.stdout?.on("data", (chunk: Uint8Array) => (output += new TextDecoder().decode(chunk)));
  child.stderr?.on("data", (chunk: Uint8Array) => (output += new TextDecoder().decode(chunk)));
  const exit = new Promise<void>((resolve) => {
    child.on("exit", () => {
      exitedFlag = true;
      running.delete(child);
      resolve();
    });
    child.on("error", (error) => {
      output += `\nspawn error: ${error.message}`;
      exitedFlag = true;
      running.delete(child);
      resolve();
    });
  });
  return {
    output: () => output,
    exited: () => exitedFlag,
    async stop() {
      if (exitedFlag) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

/** Polls `ready` until it holds; fails with the server's output if the server exits or time runs out. */
export async function waitUntilReady(
  label: string, server: ServerProcess, ready: () => Promise<boolean>, timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`${label} exited during startup:\n${server.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.stop();
  throw new Error(`${label} did not become ready in ${timeoutMs} ms:\n${server.output()}`);
}

/** Counts log lines once the server's output has had a moment to arrive through the pipe. */
export async function settledCount(server: ServerProcess, pattern: RegExp, distinct = false): Promise<number> {
  await new Promise((r) => setTimeout(r, 200));
  const matches = server.output().match(pattern) ?? [];
  return distinct ? new Set(matches).size : matches.length;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
function bindTcp(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

function bindUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.once("error", () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, "127.0.0.1", () => socket.close(() => resolve(true)));
  });
}

/** A loopback port that is free for both TCP and UDP right now (DNS servers listen on both). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await bindTcp(0);
    if (port !== undefined && (await bindUdp(port))) return port;
  }
  throw new Error("could not find a free loopback port for TCP and UDP");
}
