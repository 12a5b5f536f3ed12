import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The in-process view of bench/busy.ts --probe: a module the compiled daemon preloads (`BUN_OPTIONS=--preload=…`,
 * which standalone executables honour) that prints one `ddnsd-probe {…}` line to stderr every second:
 *
 *   heap, heapCapacity, extra   bun:jsc heapStats(): the JavaScriptCore heap's live bytes, the bytes it holds
 *                               (blocks and large allocations) and the "extra" memory objects report (buffers…)
 *   heapTotal, heapUsed, external, arrayBuffers   process.memoryUsage()
 *
 * The probe costs a timer and a few objects a second; the shipped figures come from runs without it.
 */

export interface ProbeSample {
  heap: number;
  heapCapacity: number;
  extra: number;
  objects: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export const PROBE_PREFIX = "ddnsd-probe ";

const SOURCE = `const jsc = require("bun:jsc");
setInterval(() => {
  const h = jsc.heapStats();
  const p = process.memoryUsage();
  const line = { heap: h.heapSize, heapCapacity: h.heapCapacity, extra: h.extraMemorySize, objects: h.objectCount,
    heapTotal: p.heapTotal, heapUsed: p.heapUsed, external: p.external,
    arrayBuffers: p.arrayBuffers };
  process.stderr.write(${JSON.stringify(PROBE_PREFIX)} + JSON.stringify(line) + "\\n");
}, 1000).unref();
`;

/** Writes the probe into `dir`; returns the environment that makes the daemon preload it. */
export function probeEnv(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "ddnsd-probe.js");
  writeFileSync(file, SOURCE);
  return { BUN_OPTIONS: `--preload=${file}` };
}

/** Reads probe lines from the daemon's stderr into `sink`; other lines go to `other`. */
export async function readProbe(stream: ReadableStream<Uint8Array>, sink: ProbeSample[], other: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith(PROBE_PREFIX)) sink.push(JSON.parse(line.slice(PROBE_PREFIX.length)) as ProbeSample);
      else other(line);
    }
  }
}
