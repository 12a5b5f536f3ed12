import { createInterface } from "node:readline";
import type { Fields, Logger } from "../../src/log/logger.ts";
import { createNetlinkSource } from "../../src/ip/netlink/netlink-source.ts";
import { createNetlinkRuntime as bunRuntime } from "../../src/runtime/netlink/runtime-bun.ts";
import { createNetlinkRuntime as denoRuntime } from "../../src/runtime/netlink/runtime-deno.ts";
import { whyNetlinkUnavailable } from "../../src/ip/local-source.ts";
import type { Family } from "../../src/core/family.ts";

/**
 * Runs the netlink source inside a network namespace and reports on stdout, one JSON object per line:
 * `{ready, v4, v6}` once watching, `{change, at, v4, v6}` on every onChange (`at` = epoch ms, fractional), and on
 * stdin commands: `detect` → `{detect: true, v4, v6, addresses4, addresses6, flags6}`, `close` → `{closed: ms}` then exit.
 * The source's log goes to stderr. Usage: `<bun|deno run --allow-ffi> probe.ts <bun|deno> <interface> [rcvbuf]`.
 * Also compiled with `bun build --compile` to test the executable.
 */

/** The project's logger reads the environment (consola); this one keeps the Deno run down to --allow-ffi. */
function stderrLogger(): Logger {
  const line = (level: string) => (message: string, fields?: Fields) =>
    void process.stderr.write(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}\n`);
  return { trace: line("TRACE"), debug: line("DEBUG"), info: line("INFO"), warn: line("WARN"), error: line("ERROR") };
}

const [runtimeName, interfaceName = "va", rcvbuf] = process.argv.slice(2);
const runtime = runtimeName === "deno" ? denoRuntime() : bunRuntime();
const out = (value: object) => console.log(JSON.stringify(value));
const epochMs = () => performance.timeOrigin + performance.now();

const unavailable = await whyNetlinkUnavailable(runtime);
if (unavailable !== undefined || "unavailable" in runtime) {
  out({ unavailable });
  process.exit(3);
}
const source = createNetlinkSource({
  interfaceName,
  allowPrivate: false,
  log: stderrLogger(),
  runtime,
  now: () => performance.now(),
  ...(rcvbuf ? { receiveBufferBytes: Number(rcvbuf) } : {}),
});
const signal = new AbortController().signal;
const detect = async (family: Family) => {
  const d = await source.detect(family, signal);
  return d.ok ? d.address : d.error;
};

await source.watch?.((reason) => {
  const at = epochMs();
  void Promise.all([detect(4), detect(6)]).then(([v4, v6]) => out({ change: reason, at, v4, v6 }));
});
out({ ready: true, runtime: runtime.name, v4: await detect(4), v6: await detect(6) });

for await (const line of createInterface({ input: process.stdin })) {
  if (line === "detect") {
    const list = (f: Family) => source.addresses(f).map((a) => `${a.address}/${a.prefixLen}`).sort();
    const flags6 = Object.fromEntries(source.addresses(6).map((a) => [a.address, a.flags]));
    out({ detect: true, v4: await detect(4), v6: await detect(6), addresses4: list(4), addresses6: list(6), flags6 });
  } else if (line === "close") {
    const started = performance.now();
    await source.close?.();
    out({ closed: performance.now() - started });
    process.exit(0);
  }
}
