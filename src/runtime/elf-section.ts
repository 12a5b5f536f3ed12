/**
 * Where a named section of an ELF file lies in the file: its offset and size, read from the section headers.
 *
 * Why by hand: the trim (executable-trim.ts) needs one fact from the running executable's headers — where the
 * `.bun` section (a compiled Bun program's module graph) lies — and the section header table of a 64-bit
 * little-endian ELF file (x86-64, arm64) is a fixed layout of a few fields; an ELF library for that would be the
 * larger part of the bundle it helps to trim. Anything else (32-bit, big-endian, truncated) is answered with why not.
 */

import { closeSync, openSync, readSync } from "node:fs";

export interface FileRange {
  offset: number;
  size: number;
}

/** `read(offset, length)`: up to `length` bytes of the file from `offset` (fewer at its end). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** A `ReadAt` on the file at `path`: one open, one positioned read and one close per call. */
export function fileReader(path: string): ReadAt {
  return (offset, length) => {
    const fd = openSync(path, "r");
    try {
      const bytes = new Uint8Array(length);
      return bytes.subarray(0, readSync(fd, bytes, 0, length, offset));
    } finally {
      closeSync(fd);
    }
  };
}

const ELF_HEADER = 64;
const SECTION_HEADER = 64;

/** The file range of section `name`, or why it cannot be given. */
export function findElfSection(read: ReadAt, name: string): FileRange | string {
  const header = view(read(0, ELF_HEADER));
  if (header.byteLength < ELF_HEADER || header.getUint32(0) !== 0x7f454c46) return "not an ELF file";
  if (header.getUint8(4) !== 2 || header.getUint8(5) !== 1) return "not a 64-bit little-endian ELF file";
  const tableAt = Number(header.getBigUint64(0x28, true));
  const entrySize = header.getUint16(0x3a, true);
  const count = header.getUint16(0x3c, true);
  const namesIndex = header.getUint16(0x3e, true);
  if (entrySize !== SECTION_HEADER || count === 0 || namesIndex >= count) return "no section header table";
  const table = view(read(tableAt, count * SECTION_HEADER));
  if (table.byteLength < count * SECTION_HEADER) return "the section header table is cut short";
  const field = (index: number, at: number) => Number(table.getBigUint64(index * SECTION_HEADER + at, true));
  const names = read(field(namesIndex, 0x18), field(namesIndex, 0x20));
  const wanted = new TextEncoder().encode(`${name}\0`);
  for (let i = 0; i < count; i++) {
    const at = table.getUint32(i * SECTION_HEADER, true);
    if (wanted.every((byte, k) => names[at + k] === byte)) return { offset: field(i, 0x18), size: field(i, 0x20) };
  }
  return `no ${name} section`;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
