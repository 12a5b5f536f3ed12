import { readFileSync } from "node:fs";

/**
 * Shared helpers for the bench scripts: /proc readings and summary statistics.
 *
 * Memory of a process: `rssKiB`/`peakKiB` are VmRSS/VmHWM. `privateKiB` is the process's anonymous memory
 * (`Anonymous` in smaps_rollup: JS heap, malloc, stacks, JIT code, copied data pages) — what it alone costs.
 * It is not `Private_Clean + Private_Dirty`: those count the executable's file-backed pages as private whenever no
 * other process maps the same file (and as dirty for ~30 s after a build wrote it), so the same daemon read 11 MiB
 * with a second ddnsd running and 50 MiB without. `fileKiB` is the rest of RSS: pages of the executable and shared
 * libraries, shared with the page cache and with every other process running the same binary.
 */
export function procMemory(pid: number): { rssKiB: number; peakKiB: number; privateKiB: number; fileKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const roll = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
  return { rssKiB: field("VmRSS"), peakKiB: field("VmHWM"), privateKiB: roll("Anonymous"), fileKiB: field("RssFile") };
}

/** User + system CPU time of a process in seconds (from /proc/PID/stat, clock ticks of 1/100 s). */
export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Minor page faults of a process so far (from /proc/PID/stat). */
export function procMinorFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[7]);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** "median (min–max)" with a fixed number of decimals. */
export function spread(values: number[], digits = 1): string {
  return `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

export function printTable(title: string, rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** "p50 / p99 / max" of latency samples in ms. */
export function latencySummary(values: number[], digits = 0): string {
  if (values.length === 0) return "no samples";
  return `${percentile(values, 50).toFixed(digits)} / ${percentile(values, 99).toFixed(digits)} / ${Math.max(...values).toFixed(digits)}`;
}

/** `ours / theirs` with `digits` significant digits, as "0.12×" (or "—" when either side is missing or zero). */
export function ratio(ours: number, theirs: number, digits = 2): string {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) return "—";
  return `${Number((ours / theirs).toPrecision(digits))}×`;
}
