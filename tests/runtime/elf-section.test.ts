import { describe, expect, it } from "bun:test";
import { closeSync, openSync, readSync } from "node:fs";
import { findElfSection, type ReadAt } from "../../src/runtime/elf-section.ts";

/** A minimal 64-bit little-endian ELF image: a header and a section header table with the given sections. */
function elfImage(sections: Array<{ name: string; offset: number; size: number }>, o: { klass?: number; data?: number } = {}): Uint8Array {
  const names = ["", ...sections.map((s) => s.name), ".shstrtab"];
  const nameBytes = new TextEncoder().encode(names.map((n) => `${n}\0`).join(""));
  const nameAt = names.map((_, i) => names.slice(0, i).reduce((n, s) => n + s.length + 1, 0));
  const tableAt = 64 + nameBytes.length;
  const bytes = new Uint8Array(tableAt + names.length * 64);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x7f454c46);
  v.setUint8(4, o.klass ?? 2);
  v.setUint8(5, o.data ?? 1);
  v.setBigUint64(0x28, BigInt(tableAt), true);
  v.setUint16(0x3a, 64, true);
  v.setUint16(0x3c, names.length, true);
  v.setUint16(0x3e, names.length - 1, true);
  bytes.set(nameBytes, 64);
  const all = [{ offset: 0, size: 0 }, ...sections, { offset: 64, size: nameBytes.length }];
  all.forEach((s, i) => {
    v.setUint32(tableAt + i * 64, nameAt[i]!, true);
    v.setBigUint64(tableAt + i * 64 + 0x18, BigInt(s.offset), true);
    v.setBigUint64(tableAt + i * 64 + 0x20, BigInt(s.size), true);
  });
  return bytes;
}

const reader = (bytes: Uint8Array): ReadAt => (offset, length) => bytes.subarray(offset, offset + length);

describe("finding a section of an ELF file", () => {
  it.each([
    { name: "the section by its exact name", sections: [{ name: ".bun_builtins", offset: 0x15a2b40, size: 0x295c24 }, { name: ".bun", offset: 0x6819000, size: 0x5b1116 }], want: ".bun", found: { offset: 0x6819000, size: 0x5b1116 } },
    { name: "a name that is only a prefix of another is not that one", sections: [{ name: ".bun_builtins", offset: 1, size: 2 }], want: ".bun", found: "no .bun section" },
  ])("$name", ({ sections, want, found }) => {
    expect(findElfSection(reader(elfImage([...sections])), want)).toEqual(found);
  });

  it.each([
    { name: "not ELF", bytes: new TextEncoder().encode("#!/bin/sh\necho hello, this is not an executable image at all\n"), why: "not an ELF file" },
    { name: "32-bit", bytes: elfImage([], { klass: 1 }), why: "not a 64-bit little-endian ELF file" },
    { name: "big-endian", bytes: elfImage([], { data: 2 }), why: "not a 64-bit little-endian ELF file" },
    { name: "cut short", bytes: elfImage([{ name: ".bun", offset: 1, size: 2 }]).subarray(0, 120), why: "the section header table is cut short" },
  ])("says why when the file is $name", ({ bytes, why }) => {
    expect(findElfSection(reader(bytes), ".bun")).toBe(why);
  });

  it.skipIf(process.platform !== "linux")("finds the text section of the running runtime's own executable", () => {
    const fd = openSync(process.execPath, "r");
    try {
      const read: ReadAt = (offset, length) => {
        const b = new Uint8Array(length);
        return b.subarray(0, readSync(fd, b, 0, length, offset));
      };
      const text = findElfSection(read, ".text");
      expect(typeof text).toBe("object");
      expect((text as { size: number }).size).toBeGreaterThan(1024 * 1024);
    } finally {
      closeSync(fd);
    }
  });
});
