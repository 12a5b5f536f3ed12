import { openSync, readSync, closeSync } from "node:fs";

/**
 * The release targets: what Bun calls them, which npm package holds their runtime, and how their executables are
 * recognised (the ELF header's e_machine). Bun has runtimes for Linux on x86-64 and AArch64 only (no 32-bit ARM,
 * MIPS or i386), so these are all the Linux targets there can be (docs/platforms.md).
 */
export interface ReleaseTarget {
  /** The file name's architecture: dist/release/ddnsd-linux-<arch>. */
  arch: "x64" | "arm64";
  /** The container platform's architecture (linux/amd64, linux/arm64). */
  ociArch: "amd64" | "arm64";
  /** `bun build --target`. */
  bunTarget: string;
  /** The npm package with that target's `bin/bun`, fetched at the pinned Bun version. */
  npmPackage: string;
  /** ELF e_machine: 62 = EM_X86_64, 183 = EM_AARCH64. */
  elfMachine: number;
  /** qemu-user for running it on another machine (tests, the image script's self-check). */
  qemu: string;
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  {
    arch: "x64",
    ociArch: "amd64",
    // The baseline runtime: x86-64-v2 (Nehalem, SSE4.2/POPCNT), no AVX needed. In Bun 1.4.5 it is byte for byte the
    // default x64 runtime (one binary that picks AVX2/AVX-512 code at run time); naming it keeps that promise explicit
    // should the two ever differ again. tests/release/x64-nehalem.test.ts runs the result on a Nehalem CPU.
    bunTarget: "bun-linux-x64-baseline",
    npmPackage: "@oven/bun-linux-x64-baseline",
    elfMachine: 62,
    qemu: "qemu-x86_64-static",
  },
  {
    arch: "arm64",
    ociArch: "arm64",
    bunTarget: "bun-linux-arm64",
    npmPackage: "@oven/bun-linux-aarch64",
    elfMachine: 183,
    qemu: "qemu-aarch64-static",
  },
];

export const releaseFileName = (target: ReleaseTarget) => `ddnsd-linux-${target.arch}`;

export interface ElfHeader {
  /** 2 = 64-bit. */
  elfClass: number;
  /** 1 = little-endian. */
  dataEncoding: number;
  /** 2 = EXEC, 3 = DYN. */
  type: number;
  machine: number;
}

/** The few ELF header fields that say which machine a file runs on; undefined when it is no ELF file. */
export function readElfHeader(path: string): ElfHeader | undefined {
  const header = Buffer.alloc(20);
  const fd = openSync(path, "r");
  try {
    if (readSync(fd, header, 0, 20, 0) < 20) return undefined;
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46) return undefined;
  const little = header[5] === 1;
  return {
    elfClass: header[4]!,
    dataEncoding: header[5]!,
    type: little ? header.readUInt16LE(16) : header.readUInt16BE(16),
    machine: little ? header.readUInt16LE(18) : header.readUInt16BE(18),
  };
}

/** The target this machine can run natively, if any (Node's process.arch names). */
export function nativeTarget(arch: string = process.arch): ReleaseTarget | undefined {
  return RELEASE_TARGETS.find((t) => t.arch === arch);
}
