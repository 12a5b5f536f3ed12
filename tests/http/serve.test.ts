import { describe, expect, it } from "bun:test";
import { RuntimeInitError } from "../../src/core/errors.ts";
import { serveBun } from "../../src/runtime/serve-bun.ts";
import { createFixture } from "./fixtures.ts";

/** Both serve adapters for real, on loopback port 0: Bun's in process, Deno's in a `deno run` child. */
const ROOT = new URL("../../", import.meta.url).pathname;
const DENO_CHILD = new URL("./fixtures/deno-child.ts", import.meta.url).pathname;

const HOSTS = [
  { name: "IPv4 loopback", hostname: "127.0.0.1", url: "127.0.0.1", shown: "127.0.0.1" },
  { name: "IPv6 loopback", hostname: "::1", url: "[::1]", shown: "[::1]" },
];

/** Binds a throwaway Bun server to learn a port that is free right now, then frees it. */
async function freePort(hostname: string): Promise<number> {
  const s = Bun.serve({ hostname, port: 0, fetch: () => new Response("") });
  const port = s.port!;
  await s.stop(true);
  return port;
}

describe("serveBun", () => {
  it.each([...HOSTS, { name: "IPv6 loopback in brackets", hostname: "[::1]", url: "[::1]", shown: "[::1]" }])(
    "serves the app on $name port 0",
    async ({ hostname, url }) => {
      const server = await serveBun({ hostname, port: 0, fetch: createFixture().app.fetch });
      try {
        expect(server.port).toBeGreaterThan(0);
        const res = await fetch(`http://${url}:${server.port}/healthz`);
        expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: "ok" });
      } finally {
        await server.close();
      }
    },
  );

  it.each(HOSTS)("fails with a RuntimeInitError naming $name when the port is in use", async ({ hostname, shown }) => {
    const first = await serveBun({ hostname, port: 0, fetch: () => new Response("first") });
    try {
      const error = await serveBun({ hostname, port: first.port, fetch: () => new Response("second") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RuntimeInitError);
      expect({ code: (error as RuntimeInitError).code, message: (error as RuntimeInitError).message }).toEqual({
        code: "E_HTTP_LISTEN",
        message: `Could not listen on ${shown}:${first.port}: address already in use`,
      });
    } finally {
      await first.close();
    }
  });

  it("frees the port on close, and a second close is harmless", async () => {
    const server = await serveBun({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("x") });
    await server.close();
    await server.close();
    expect(await fetch(`http://127.0.0.1:${server.port}/`).then(() => "answered", () => "refused")).toBe("refused");
    const again = await serveBun({ hostname: "127.0.0.1", port: server.port, fetch: () => new Response("again") });
    expect(await (await fetch(`http://127.0.0.1:${again.port}/`)).text()).toBe("again");
    await again.close();
  });

  it("answers a bare 500 when the handler throws", async () => {
    const server = await serveBun({ hostname: "127.0.0.1", port: 0, fetch: () => { throw new Error("secret detail"); } });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/`);
      expect({ status: res.status, body: await res.text() }).toEqual({ status: 500, body: "internal error" });
    } finally {
      await server.close();
    }
  });
});

/** A `deno run` of fixtures/deno-child.ts in serve mode; `nextLine` reads its JSON lines. */
function startDenoChild(hostname: string, port: number) {
  const deno = Bun.which("deno");
  if (!deno) throw new Error("deno is not installed: the Deno adapter test needs Deno 2 on PATH");
  const proc = Bun.spawn([deno, "run", "--quiet", "--no-prompt", "--allow-net", DENO_CHILD, JSON.stringify({ mode: "serve", hostname, port })], {
    cwd: ROOT,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const nextLine = async (): Promise<Record<string, unknown>> => {
    while (!buffered.includes("\n")) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`the deno child exited without answering (exit ${await proc.exited})`);
      buffered += decoder.decode(value, { stream: true });
    }
    const at = buffered.indexOf("\n");
    const line = buffered.slice(0, at);
    buffered = buffered.slice(at + 1);
    return JSON.parse(line) as Record<string, unknown>;
  };
  const requestClose = () => {
    proc.stdin.write("close\n");
    proc.stdin.flush();
  };
  return { proc, nextLine, requestClose };
}

describe("serveDeno (in a deno child process)", () => {
  it.each(HOSTS)("serves the app on $name port 0 and frees the port on close", async ({ hostname, url }) => {
    const child = startDenoChild(hostname, 0);
    try {
      const first = await child.nextLine();
      expect(first.error).toBeUndefined();
      const port = first.port as number;
      expect(port).toBeGreaterThan(0);
      const health = await fetch(`http://${url}:${port}/healthz`);
      expect({ status: health.status, body: await health.text() }).toEqual({ status: 200, body: "ok" });
      const status = (await (await fetch(`http://${url}:${port}/status`)).json()) as { runtime: string };
      expect(status.runtime).toBe("deno");
      child.requestClose();
      expect(await child.nextLine()).toEqual({ closed: true });
      expect(await child.proc.exited).toBe(0);
      const again = await serveBun({ hostname, port, fetch: () => new Response("again") });
      await again.close();
    } finally {
      child.proc.kill();
    }
  }, 30_000);

  it.each(HOSTS)("fails with the same RuntimeInitError message when $name port is in use", async ({ hostname, shown }) => {
    const holder = await serveBun({ hostname, port: await freePort(hostname), fetch: () => new Response("holder") });
    const child = startDenoChild(hostname, holder.port);
    try {
      expect(await child.nextLine()).toEqual({
        error: { name: "RuntimeInitError", code: "E_HTTP_LISTEN", message: `Could not listen on ${shown}:${holder.port}: address already in use` },
      });
      expect(await child.proc.exited).toBe(3);
    } finally {
      child.proc.kill();
      await holder.close();
    }
  }, 30_000);
});
