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
 * the heap, libraries) is left alone — but for `sections`: file ranges of the executable that are mapped writable
 * yet only ever read (the `.bun` section, a compiled program's module graph: its bytecode and source, 3+ MiB
 * resident once loaded). There the trim drops page by page what /proc/self/pagemap shows as still the file's.
 */

import type { FileRange } from "./elf-section.ts";

export interface Mapping {
  start: bigint;
  end: bigint;
  /** Where in the file the mapping starts. */
  offset: bigint;
  perms: string;
  path: string;
  /** Resident KiB. */
  rss: number;
  /** Anonymous KiB: pages copied on write, which hold the process's own bytes rather than the file's. */
  anonymous: number;
  /** The kernel's page size for the mapping, in bytes (4096 unless the kernel says otherwise). */
  pageSize: number;
}

/** The mappings of /proc/PID/smaps text, with the fields the trim needs. */
export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of text.split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) ([0-9a-f]+) \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const [, start, end, perms, offset, path] = head as unknown as [string, string, string, string, string, string | undefined];
      current = { start: BigInt(`0x${start}`), end: BigInt(`0x${end}`), offset: BigInt(`0x${offset}`), perms, path: path ?? "", rss: 0, anonymous: 0, pageSize: 4096 };
      out.push(current);
      continue;
    }
    const field = /^(Rss|Anonymous|KernelPageSize):\s+(\d+) kB/.exec(line);
    if (!field || !current) continue;
    if (field[1] === "KernelPageSize") current.pageSize = Number(field[2]) * 1024;
    else current[field[1] === "Rss" ? "rss" : "anonymous"] = Number(field[2]);
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

/** An address range inside a writable mapping of the executable that holds only a read-only section's bytes. */
export interface SectionSpan {
  start: bigint;
  end: bigint;
  pageSize: number;
}

/**
 * Where `sections` (file ranges of `executable`) lie in its private writable mappings, shrunk to whole pages: a page
 * the section shares with the data around it (JavaScriptCore's frozen configuration follows `.bun`) is never touched.
 */
export function sectionSpans(mappings: readonly Mapping[], executable: string, sections: readonly FileRange[]): SectionSpan[] {
  const out: SectionSpan[] = [];
  for (const m of mappings) {
    if (m.path !== executable || m.perms[1] !== "w" || m.perms[3] !== "p" || m.rss === 0) continue;
    const page = BigInt(m.pageSize);
    for (const s of sections) {
      const from = BigInt(s.offset) > m.offset ? BigInt(s.offset) : m.offset;
      const to = BigInt(s.offset + s.size) < m.offset + (m.end - m.start) ? BigInt(s.offset + s.size) : m.offset + (m.end - m.start);
      const start = ((m.start + from - m.offset + page - 1n) / page) * page;
      const end = ((m.start + to - m.offset) / page) * page;
      if (end > start) out.push({ start, end, pageSize: m.pageSize });
    }
  }
  return out;
}

/**
 * The runs of pages in `span` that are resident and still the file's (pagemap: bit 63 present, bit 61 file page):
 * a page written since it was loaded is anonymous and is kept, and so are the pages around it.
 */
export function fileRuns(span: SectionSpan, pagemap: Uint8Array): Array<[start: bigint, length: bigint]> {
  const runs: Array<[bigint, bigint]> = [];
  const page = BigInt(span.pageSize);
  const entries = new DataView(pagemap.buffer, pagemap.byteOffset, pagemap.byteLength);
  let runStart = -1;
  const count = Math.min(Number((span.end - span.start) / page), Math.floor(pagemap.byteLength / 8));
  for (let i = 0; i <= count; i++) {
    const high = i < count ? entries.getUint32(i * 8 + 4, true) : 0;
    const ours = (high & 0x80000000) !== 0 && (high & 0x20000000) !== 0;
    if (ours && runStart < 0) runStart = i;
    if (!ours && runStart >= 0) {
      runs.push([span.start + BigInt(runStart) * page, BigInt(i - runStart) * page]);
      runStart = -1;
    }
  }
  return runs;
}

export interface ExecutableTrimDeps {
  /** The executable's path as /proc/self/smaps shows it (the target of /proc/self/exe). */
  executable: string;
  readSmaps: () => string;
  /** madvise(2): 0 or -1. */
  madvise: (start: bigint, length: bigint, advice: number) => number;
  /** File ranges of the executable mapped writable but only ever read (see the top of this file); none by default. */
  sections?: readonly FileRange[];
  /** /proc/self/pagemap: 8 bytes for each of `count` pages from page number `first`. Needed with `sections`. */
  readPagemap?: (first: number, count: number) => Uint8Array;
}

export const MADV_DONTNEED = 4;

/**
 * Returns `trim()`: drops what qualifies, and says how many KiB it dropped (the resident KiB of the whole mappings,
 * and the pages of the sections' runs).
 */
export function createExecutableTrim(deps: ExecutableTrimDeps): { trim(): number } {
  const { sections = [], readPagemap } = deps;
  return {
    trim() {
      let kib = 0;
      const mappings = parseSmaps(deps.readSmaps());
      for (const m of trimmable(mappings, deps.executable)) {
        if (deps.madvise(m.start, m.end - m.start, MADV_DONTNEED) === 0) kib += m.rss;
      }
      if (!readPagemap) return kib;
      for (const span of sectionSpans(mappings, deps.executable, sections)) {
        const page = BigInt(span.pageSize);
        const pagemap = readPagemap(Number(span.start / page), Number((span.end - span.start) / page));
        for (const [start, length] of fileRuns(span, pagemap)) {
          if (deps.madvise(start, length, MADV_DONTNEED) === 0) kib += Number(length / 1024n);
        }
      }
      return kib;
    },
  };
}
