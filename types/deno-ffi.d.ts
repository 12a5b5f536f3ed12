/**
 * The small part of the Deno namespace that src/ip/netlink/libc-deno.ts and runtime-deno.ts use, so that `tsc`
 * (which has Bun's types, not Deno's) can check them. `deno check` uses Deno's real declarations instead; the
 * adapter code is written to satisfy both.
 */
declare namespace Deno {
  type NativeType = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64" | "usize" | "isize" | "f32" | "f64" | "pointer" | "buffer";
  type NativeResultType = NativeType | "void";
  interface ForeignFunction {
    readonly parameters: readonly NativeType[];
    readonly result: NativeResultType;
    readonly nonblocking?: boolean;
  }
  interface ForeignLibraryInterface {
    readonly [name: string]: ForeignFunction;
  }
  interface DynamicLibrary<S extends ForeignLibraryInterface> {
    readonly symbols: { readonly [K in keyof S]: (...args: never[]) => unknown };
    close(): void;
  }
  type PointerObject = { readonly __pointer: unique symbol };
  type PointerValue = PointerObject | null;
  function dlopen<const S extends ForeignLibraryInterface>(filename: string | URL, symbols: S): DynamicLibrary<S>;
  class UnsafePointerView {
    constructor(pointer: PointerObject);
    getInt32(offset?: number): number;
  }
  interface PermissionStatus {
    readonly state: "granted" | "denied" | "prompt";
  }
  const permissions: { querySync(descriptor: { name: "ffi" }): PermissionStatus };
  const build: { readonly os: string };
}
