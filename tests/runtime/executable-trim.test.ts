import { describe, expect, it } from "bun:test";
import { createExecutableTrim, fileRuns, MADV_DONTNEED, parseSmaps, sectionSpans, trimmable } from "../../src/runtime/executable-trim.ts";

const EXE = "/usr/local/bin/ddnsd";

/** One /proc/PID/smaps entry with the fields the trim reads (and one it must ignore). */
const entry = (o: { range: string; perms: string; path?: string; rss: number; anonymous: number; dirty?: number; offset?: string; pageKiB?: number }) =>
  [
    `${o.range} ${o.perms} ${o.offset ?? "00000000"} fe:00 5432586                            ${o.path ?? ""}`.trimEnd(),
    "Size:              24804 kB",
    `KernelPageSize:        ${o.pageKiB ?? 4} kB`,
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

  it("reads start, end, file offset, permissions, path, sizes and page size of every mapping", () => {
    const smaps = [
      entry({ range: "00200000-01a39000", perms: "r--p", path: EXE, rss: 5348, anonymous: 0 }),
      entry({ range: "06867000-06fd4000", perms: "rw-p", path: EXE, rss: 3492, anonymous: 120, offset: "0665e000" }),
      entry({ range: "7fd800000000-7fd900000000", perms: "rw-p", rss: 348, anonymous: 348, pageKiB: 16 }),
    ].join("\n");
    expect(parseSmaps(smaps)).toEqual([
      { start: 0x200000n, end: 0x1a39000n, offset: 0n, perms: "r--p", path: EXE, rss: 5348, anonymous: 0, pageSize: 4096 },
      { start: 0x6867000n, end: 0x6fd4000n, offset: 0x665e000n, perms: "rw-p", path: EXE, rss: 3492, anonymous: 120, pageSize: 4096 },
      { start: 0x7fd800000000n, end: 0x7fd900000000n, offset: 0n, perms: "rw-p", path: "", rss: 348, anonymous: 348, pageSize: 16384 },
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

/** Pagemap entries: "#" a resident file page, "A" a resident anonymous page (written since), "." not resident. */
const pagemapOf = (pages: string) => {
  const bytes = new Uint8Array(pages.length * 8);
  const view = new DataView(bytes.buffer);
  [...pages].forEach((p, i) => view.setUint32(i * 8 + 4, p === "#" ? 0xa0000000 : p === "A" ? 0x80000000 : 0, true));
  return bytes;
};

describe("the module graph's pages in the writable data mapping", () => {
  // As in dist/ddnsd: the data mapping starts at file offset 0x665e000, the .bun section at 0x6819000 (address
  // 0x6a22000), 0x5b1116 bytes long, followed in the same page by JavaScriptCore's frozen configuration.
  const data = parseSmaps(entry({ range: "06867000-06fd4000", perms: "rw-p", path: EXE, rss: 3492, anonymous: 120, offset: "0665e000" }));
  const BUN = { offset: 0x6819000, size: 0x5b1116 };

  it.each([
    { name: "the section inside the mapping, its shared last page left out", perms: "rw-p", path: EXE, sections: [BUN], spans: [[0x6a22000n, 0x6fd3000n]] },
    { name: "no section given", perms: "rw-p", path: EXE, sections: [], spans: [] },
    { name: "a read-only mapping (trimmed whole elsewhere)", perms: "r--p", path: EXE, sections: [BUN], spans: [] },
    { name: "another file's mapping", perms: "rw-p", path: "/usr/lib/x86_64-linux-gnu/libc.so.6", sections: [BUN], spans: [] },
    { name: "a section that starts before the mapping: only its part inside", perms: "rw-p", path: EXE, sections: [{ offset: 0x6600000, size: 0x60800 }], spans: [[0x6867000n, 0x6869000n]] },
    { name: "a section within one page: nothing", perms: "rw-p", path: EXE, sections: [{ offset: 0x6819010, size: 0x100 }], spans: [] },
  ])("$name", ({ perms, path, sections, spans }) => {
    const mappings = perms === "rw-p" && path === EXE ? data : parseSmaps(entry({ range: "06867000-06fd4000", perms, path, rss: 3492, anonymous: 0, offset: "0665e000" }));
    expect(sectionSpans(mappings, EXE, sections).map((s) => [s.start, s.end])).toEqual(spans.map((span) => [...span]));
  });

  it.each([
    { name: "every page resident and the file's: one run", pages: "####", runs: [[0, 4]] },
    { name: "a written page is kept, and splits the run", pages: "##A#", runs: [[0, 2], [3, 1]] },
    { name: "pages not resident are skipped", pages: ".##..#", runs: [[1, 2], [5, 1]] },
    { name: "nothing resident: no call", pages: "....", runs: [] },
    { name: "only written pages: no call", pages: "AA", runs: [] },
  ])("pagemap $pages: $name", ({ pages, runs }) => {
    const span = { start: 0x6a22000n, end: 0x6a22000n + BigInt(pages.length) * 4096n, pageSize: 4096 };
    expect(fileRuns(span, pagemapOf(pages))).toEqual(runs.map(([first, count]) => [0x6a22000n + BigInt(first!) * 4096n, BigInt(count!) * 4096n]));
  });

  it("advises MADV_DONTNEED over the section's file pages after the read-only mappings, reading pagemap at the section's pages", () => {
    const smaps = [entry({ range: "01a40000-0684a000", perms: "r-xp", path: EXE, rss: 31428, anonymous: 0 }), entry({ range: "06867000-06fd4000", perms: "rw-p", path: EXE, rss: 3492, anonymous: 120, offset: "0665e000" })].join("\n");
    const calls: Array<[bigint, bigint, number]> = [];
    const reads: Array<[number, number]> = [];
    const trim = createExecutableTrim({
      executable: EXE,
      readSmaps: () => smaps,
      madvise: (s, l, a) => (calls.push([s, l, a]), 0),
      sections: [BUN],
      readPagemap: (first, count) => (reads.push([first, count]), pagemapOf("#".repeat(10) + "A" + ".".repeat(count - 11))),
    });
    expect(trim.trim()).toBe(31428 + 40);
    expect(reads).toEqual([[0x6a22, 0x6fd3 - 0x6a22]]);
    expect(calls).toEqual([
      [0x1a40000n, 0x684a000n - 0x1a40000n, MADV_DONTNEED],
      [0x6a22000n, 10n * 4096n, MADV_DONTNEED],
    ]);
  });

  it("without a pagemap reader the sections are left alone", () => {
    const calls: bigint[] = [];
    const trim = createExecutableTrim({ executable: EXE, readSmaps: () => entry({ range: "06867000-06fd4000", perms: "rw-p", path: EXE, rss: 3492, anonymous: 120, offset: "0665e000" }), madvise: (s) => (calls.push(s), 0), sections: [BUN] });
    expect(trim.trim()).toBe(0);
    expect(calls).toEqual([]);
  });
});
