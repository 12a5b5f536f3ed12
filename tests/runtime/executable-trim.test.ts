import { describe, expect, it } from "bun:test";
import { createExecutableTrim, MADV_DONTNEED, parseSmaps, trimmable } from "../../src/runtime/executable-trim.ts";

const EXE = "/usr/local/bin/ddnsd";

/** One /proc/PID/smaps entry with the fields the trim reads (and one it must ignore). */
const entry = (o: { range: string; perms: string; path?: string; rss: number; anonymous: number; dirty?: number }) =>
  [
    `${o.range} ${o.perms} 00000000 fe:00 5432586                            ${o.path ?? ""}`.trimEnd(),
    "Size:              24804 kB",
    `Rss:               ${o.rss} kB`,
    `Private_Dirty:     ${o.dirty ?? 0} kB`,
    `Anonymous:         ${o.anonymous} kB`,
    "VmFlags: rd mr mw me dw sd",
  ].join("\n");

describe("which mappings the executable trim drops", () => {
  it.each([
    { name: "the executable's code (r-xp, file pages only)", perms: "r-xp", path: EXE, rss: 31428, anonymous: 0, dropped: true },
    { name: "the executable's read-only data (r--p)", perms: "r--p", path: EXE, rss: 5348, anonymous: 0, dropped: true },
    { name: "read-only data dirty in the page cache (just built)", perms: "r--p", path: EXE, rss: 5348, anonymous: 0, dirty: 5348, dropped: true },
    { name: "its writable data (rw-p: .data, .bss, the bundle)", perms: "rw-p", path: EXE, rss: 2876, anonymous: 120, dropped: false },
    { name: "writable data not written yet (rw-p, no anonymous page)", perms: "rw-p", path: EXE, rss: 84, anonymous: 0, dropped: false },
    { name: "relocations made read-only after writing (r--p with anonymous pages)", perms: "r--p", path: EXE, rss: 32, anonymous: 12, dropped: false },
    { name: "a shared mapping of the executable (r--s)", perms: "r--s", path: EXE, rss: 64, anonymous: 0, dropped: false },
    { name: "a library's code", perms: "r-xp", path: "/usr/lib/x86_64-linux-gnu/libc.so.6", rss: 1240, anonymous: 0, dropped: false },
    { name: "JIT code (anonymous rwx)", perms: "rwxp", path: "", rss: 260, anonymous: 260, dropped: false },
    { name: "an anonymous mapping (the heap)", perms: "rw-p", path: "", rss: 6736, anonymous: 6736, dropped: false },
    { name: "a mapping of the executable with nothing resident", perms: "r-xp", path: EXE, rss: 0, anonymous: 0, dropped: false },
  ])("$name: dropped $dropped", ({ perms, path, rss, anonymous, dirty, dropped }) => {
    const smaps = entry({ range: "01a40000-0684a000", perms, path, rss, anonymous, dirty });
    expect(trimmable(parseSmaps(smaps), EXE).length).toBe(dropped ? 1 : 0);
  });

  it("reads start, end, permissions, path and sizes of every mapping", () => {
    const smaps = [
      entry({ range: "00200000-01a39000", perms: "r--p", path: EXE, rss: 5348, anonymous: 0 }),
      entry({ range: "7fd800000000-7fd900000000", perms: "rw-p", rss: 348, anonymous: 348 }),
    ].join("\n");
    expect(parseSmaps(smaps)).toEqual([
      { start: 0x200000n, end: 0x1a39000n, perms: "r--p", path: EXE, rss: 5348, anonymous: 0 },
      { start: 0x7fd800000000n, end: 0x7fd900000000n, perms: "rw-p", path: "", rss: 348, anonymous: 348 },
    ]);
  });
});

describe("a trim", () => {
  const smaps = [
    entry({ range: "00200000-01a39000", perms: "r--p", path: EXE, rss: 5348, anonymous: 0 }),
    entry({ range: "01a40000-0684a000", perms: "r-xp", path: EXE, rss: 31428, anonymous: 0 }),
    entry({ range: "0685f000-06867000", perms: "r--p", path: EXE, rss: 32, anonymous: 12 }),
    entry({ range: "06867000-06d36000", perms: "rw-p", path: EXE, rss: 2876, anonymous: 120 }),
  ].join("\n");

  it("advises MADV_DONTNEED over exactly the qualifying mappings and reports the KiB they held", () => {
    const calls: Array<[bigint, bigint, number]> = [];
    const trim = createExecutableTrim({ executable: EXE, readSmaps: () => smaps, madvise: (s, l, a) => (calls.push([s, l, a]), 0) });
    expect(trim.trim()).toBe(5348 + 31428);
    expect(calls).toEqual([
      [0x200000n, 0x1a39000n - 0x200000n, MADV_DONTNEED],
      [0x1a40000n, 0x684a000n - 0x1a40000n, MADV_DONTNEED],
    ]);
  });

  it("counts only what madvise accepted", () => {
    const trim = createExecutableTrim({ executable: EXE, readSmaps: () => smaps, madvise: (s) => (s === 0x200000n ? -1 : 0) });
    expect(trim.trim()).toBe(31428);
  });

  it("reads the mappings afresh each time", () => {
    let reads = 0;
    const trim = createExecutableTrim({ executable: EXE, readSmaps: () => (reads++, smaps), madvise: () => 0 });
    trim.trim();
    trim.trim();
    expect(reads).toBe(2);
  });
});
