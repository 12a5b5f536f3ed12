import { readFileSync } from "node:fs";

/**
 * Where a process's resident memory sits, by mapping (/proc/PID/smaps), for the memory figures of bench/busy.ts:
 *
 *   binary code      the executable's r-x mapping: Bun's and JavaScriptCore's machine code (file-backed, shared)
 *   binary rodata    its r-- mappings: constants, Bun's built-in JavaScript (.bun_builtins) (file-backed)
 *   binary data      its rw- mappings: .data, .bss, and `.bun` — the embedded bundle and its bytecode; the pages
 *                    written since exec are anonymous (copy-on-write), the rest file-backed
 *   libraries        glibc and the other shared objects
 *   JIT code         anonymous rwx mappings: code the JIT compiled (and the LLInt's thunks)
 *   anonymous        every other anonymous mapping: the JavaScriptCore heap, mimalloc's arenas (malloc), thread
 *                    stacks, [heap] and [stack]; bench/busy.ts --probe splits it further from inside the process
 *
 * Figures in KiB. `anon` is the anonymous part (what the process alone costs), `rss` all resident pages.
 */

export interface Part {
  rss: number;
  anon: number;
}

export const PARTS = ["binary code", "binary rodata", "binary data", "libraries", "JIT code", "anonymous"] as const;
export type PartName = (typeof PARTS)[number];
export type Breakdown = Record<PartName, Part>;

interface Mapping {
  perms: string;
  path: string;
  rss: number;
  anon: number;
}

function mappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { perms: head[1]!, path: head[2] ?? "", rss: 0, anon: 0 };
      out.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field && current) current[field[1] === "Rss" ? "rss" : "anon"] = Number(field[2]);
  }
  return out;
}

function partOf(m: Mapping, binary: string): PartName {
  if (m.path === binary || m.path.endsWith(" (deleted)") && m.path.startsWith(binary)) {
    if (m.perms.includes("x")) return "binary code";
    return m.perms.startsWith("rw") ? "binary data" : "binary rodata";
  }
  if (m.path.startsWith("/")) return "libraries";
  if (m.perms.startsWith("rwx")) return "JIT code";
  return "anonymous";
}

/** The process's resident memory by part; `binary` is the executable's path as the kernel shows it. */
export function smapsBreakdown(pid: number, binary: string): Breakdown {
  const out = Object.fromEntries(PARTS.map((p) => [p, { rss: 0, anon: 0 }])) as Breakdown;
  for (const m of mappings(pid)) {
    const part = out[partOf(m, binary)];
    part.rss += m.rss;
    part.anon += m.anon;
  }
  return out;
}

/** VmRSS, RssAnon, RssFile and VmHWM from /proc/PID/status, in KiB. */
export function statusMemory(pid: number): { rss: number; anon: number; file: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: field("VmRSS"), anon: field("RssAnon"), file: field("RssFile"), hwm: field("VmHWM") };
}
