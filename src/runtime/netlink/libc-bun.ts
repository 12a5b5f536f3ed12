import type { Syscalls } from "../../ip/netlink/runtime-types.ts";

/**
 * libc through `bun:ffi`, reached with `process.getBuiltinModule` when called (no static `bun:ffi` import), so Deno
 * may load this file without calling it. Every call returns the C result or `-errno`, with errno read right after
 * the call on the same thread (errno is per thread).
 */

type FfiFunction = (...args: unknown[]) => number | bigint;
interface FfiModule {
  dlopen(name: string, symbols: Symbols): { symbols: Record<keyof Symbols, FfiFunction> };
  FFIType: Record<"i32" | "u32" | "u64" | "i64_fast" | "ptr", number>;
  read: { i32(pointer: unknown, offset: number): number };
}

const LIBC_NAMES = ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1", "libc.so"];

const symbolsOf = (FFIType: FfiModule["FFIType"]) => ({
  socket: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  bind: { args: [FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  setsockopt: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  sendto: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.ptr, FFIType.u32], returns: FFIType.i64_fast },
  recv: { args: [FFIType.i32, FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i64_fast },
  poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
  eventfd: { args: [FFIType.u32, FFIType.i32], returns: FFIType.i32 },
  read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64_fast },
  write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64_fast },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
});
type Symbols = ReturnType<typeof symbolsOf>;

/** The first C library of LIBC_NAMES that `open` loads, or why none did (glibc, then musl). */
export function dlopenLibc<T>(open: (name: string) => T): T | string {
  const failures: string[] = [];
  for (const name of LIBC_NAMES) {
    try {
      return open(name);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return `could not load the C library (${failures.join("; ")})`;
}

/** The Syscalls for this thread, or why libc could not be loaded. */
export function openLibcBun(): Syscalls | string {
  const ffi = process.getBuiltinModule("bun:ffi") as FfiModule | undefined;
  if (!ffi) return "bun:ffi is not available in this runtime";
  const lib = dlopenLibc((name) => ffi.dlopen(name, symbolsOf(ffi.FFIType)));
  if (typeof lib === "string") return lib;
  const c = lib.symbols;
  const errnoPointer: unknown = c.__errno_location();
  const result = (value: number | bigint): number => {
    const n = Number(value);
    if (n >= 0) return n;
    // __errno_location() is constant per thread; read errno before any other libc call can touch it.
    return errnoPointer === null ? -1 : -ffi.read.i32(errnoPointer, 0);
  };
  return {
    socket: (domain, type, protocol) => result(c.socket(domain, type, protocol)),
    bind: (fd, address) => result(c.bind(fd, address, address.length)),
    setsockopt: (fd, level, name, value) => result(c.setsockopt(fd, level, name, value, value.length)),
    sendto: (fd, data, flags, address) => result(c.sendto(fd, data, data.length, flags, address, address.length)),
    recv: (fd, into, flags) => result(c.recv(fd, into, into.length, flags)),
    poll: (fds, count, timeoutMs) => result(c.poll(fds, count, timeoutMs)),
    eventfd: (initial, flags) => result(c.eventfd(initial, flags)),
    read: (fd, into) => result(c.read(fd, into, into.length)),
    write: (fd, data) => result(c.write(fd, data, data.length)),
    close: (fd) => result(c.close(fd)),
  };
}
