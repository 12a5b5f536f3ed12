import { type Subprocess } from "bun";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Netns } from "./netns.ts";

/**
 * Makes a TCP server of the test process (the host's loopback, e.g. a fake provider on port 0) reachable from
 * inside a network namespace, where dist/ddnsd runs: a child in the namespace listens on its own 127.0.0.1 and
 * hands each connection through a unix socket to this process, which connects it to `127.0.0.1:port`. The fakes
 * stay ordinary in-process servers whose state the test reads directly.
 */

export interface Forward {
  /** The port on the namespace's 127.0.0.1 that reaches the host's `127.0.0.1:port`. */
  readonly port: number;
  /** `http://127.0.0.1:<port>` inside the namespace. */
  readonly origin: string;
  stop(): Promise<void>;
}

export async function forwardIntoNamespace(ns: Pick<Netns, "exec">, port: number): Promise<Forward> {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-forward-"));
  const path = join(dir, "s");
  const server: Server = createServer((inbound) => {
    const outbound = connect(port, "127.0.0.1");
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on("error", () => outbound.destroy());
    outbound.on("error", () => inbound.destroy());
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(path, resolve));
  const child: Subprocess<"pipe", "pipe", "pipe"> = Bun.spawn(ns.exec("bun", join(import.meta.dir, "forward-child.ts"), path), {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = child.stdout.getReader();
  const first = await Promise.race([reader.read(), Bun.sleep(10_000).then(() => undefined)]);
  reader.releaseLock();
  const inner = Number(new TextDecoder().decode(first?.value ?? new Uint8Array()).trim());
  const stop = async () => {
    child.kill();
    await child.exited;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  };
  if (!Number.isInteger(inner) || inner <= 0) {
    const err = await new Response(child.stderr).text().catch(() => "");
    await stop();
    throw new Error(`the forwarder in the namespace did not start: ${err}`);
  }
  return { port: inner, origin: `http://127.0.0.1:${inner}`, stop };
}
