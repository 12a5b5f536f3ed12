/**
 * Unmaps the executable's clean read-only pages from the process (`madvise(MADV_DONTNEED)`), so that its resident
 * set holds the code the daemon runs now, not everything its start-up ever touched.
 *
 * Why: a compiled Bun program is one ~110 MB file, and most of ddnsd's RSS is pages of it — Bun's and
 * JavaScriptCore's machine code and read-only data, faulted in 64 KiB at a time as code runs. Start-up (runtime
 * init, module loading, the first round) and each round touch code that is then left mapped, and counted in RSS,
 * until memory pressure reclaims it (bench/busy.ts, 1000 records: 24 MiB of the executable's code resident without
 * the trim, 7–9 MiB after one). Dropping the mappings costs little: the pages stay in the page cache, and the ones
 * still in use are mapped again at their next use by a minor fault. docs/memory.md has the figures.
 *
 * Only mappings that cannot hold anything but the file's own bytes qualify: the executable's, private, without
 * write permission, and with no anonymous page (a page written before an mprotect — relocations, JavaScriptCore's
 * frozen configuration — is anonymous and would be lost; such a mapping is skipped whole). Everything else (data,
 * the heap, libraries) is left alone.
 */

export interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  path: string;
  /** Resident KiB. */
  rss: number;
  /** Anonymous KiB: pages copied on write, which hold the process's own bytes rather than the file's. */
  anonymous: number;
}

/** The mappings of /proc/PID/smaps text, with the fields the trim needs. */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of text.split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3]!, path: head[4] ?? "", rss: 0, anonymous: 0 };
      out.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB/.exec(line);
    if (field && current) current[field[1] === "Rss" ? "rss" : "anonymous"] = Number(field[2]);
  }
  return out;
}

/**
 * The mappings a trim may drop: `executable`'s own, private, read-only, with no anonymous page — so every resident
 * page is a page of the file in the page cache. (Such a page can be dirty for a while after the file was written:
 * that is the page cache's state, not the process's, and unmapping it loses nothing.)
 */
export function trimmable(mappings: readonly Mapping[], executable: string): Mapping[] {
  return mappings.filter((m) => m.path === executable && m.perms[1] === "-" && m.perms[3] === "p" && m.anonymous === 0 && m.rss > 0);
}

export interface ExecutableTrimDeps {
  /** The executable's path as /proc/self/smaps shows it (the target of /proc/self/exe). */
  executable: string;
  readSmaps: () => string;
  /** madvise(2): 0 or -1. */
  madvise: (start: bigint, length: bigint, advice: number) => number;
}

export const MADV_DONTNEED = 4;

/** Returns `trim()`: drops what qualifies, and says how many KiB were resident in the mappings it dropped. */
export function createExecutableTrim(deps: ExecutableTrimDeps): { trim(): number } {
  return {
    trim() {
      let kib = 0;
      for (const m of trimmable(parseSmaps(deps.readSmaps()), deps.executable)) {
        if (deps.madvise(m.start, m.end - m.start, MADV_DONTNEED) === 0) kib += m.rss;
      }
      return kib;
    },
  };
}
