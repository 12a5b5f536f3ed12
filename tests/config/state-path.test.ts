import { afterAll, describe, expect, it } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkStatePath, type PathAccess } from "../../src/config/state-path.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { createPathAccess } from "../../src/runtime/path-access.ts";

/**
 * `check` and start-up test that the file state store can write beside DDNS_STATE_STORE_PATH. The rules against a
 * described file system (tests/blackbox/check-advice.test.ts runs the binary as a non-root user for real).
 */
type Node = "directory" | "file" | "other";
function world(tree: Record<string, Node>, notWritable: Record<string, string | undefined> = {}): PathAccess {
  return { kind: (p) => tree[p], writable: (d) => notWritable[d], uid: 65534 };
}
const file = (path: string) => ({ type: "file" as const, path });

function messageOf(state: { type: "file"; path: string }, access: PathAccess): string | undefined {
  try {
    checkStatePath(state, access);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError && error.variable === "DDNS_STATE_STORE_PATH") return error.message;
    throw error;
  }
}

describe("the state file's directory", () => {
  const TREE: Record<string, Node> = { "/": "directory", "/var": "directory", "/var/lib": "directory", "/var/lib/ddns": "directory", "/etc/passwd": "file" };

  it.each([
    { name: "an existing writable directory", path: "/var/lib/ddns/state.json", notWritable: {} },
    { name: "a missing directory whose parent is writable (created at the first write)", path: "/var/lib/ddns/sub/dir/state.json", notWritable: {} },
    { name: "an existing state file in a writable directory", path: "/var/lib/ddns/state.json", notWritable: { "/var/lib": "EACCES" } },
  ])("passes for $name", ({ path, notWritable }) => {
    expect(messageOf(file(path), world(TREE, notWritable))).toBeUndefined();
  });

  it.each([
    { name: "a directory the user cannot write", path: "/var/lib/ddns/state.json", notWritable: { "/var/lib/ddns": "EACCES" }, message: 'DDNS_STATE_STORE_PATH is in a directory uid 65534 cannot write: "/var/lib/ddns" (permission denied); make it writable for the daemon\'s user (e.g. chown) or choose another path.' },
    { name: "a read-only file system", path: "/var/lib/ddns/state.json", notWritable: { "/var/lib/ddns": "EROFS" }, message: 'DDNS_STATE_STORE_PATH is in a directory uid 65534 cannot write: "/var/lib/ddns" (read-only file system); make it writable for the daemon\'s user (e.g. chown) or choose another path.' },
    { name: "a missing directory that cannot be created", path: "/var/lib/other/state.json", notWritable: { "/var/lib": "EACCES" }, message: 'DDNS_STATE_STORE_PATH is in a directory that does not exist and cannot be created: "/var/lib/other" ("/var/lib": permission denied for uid 65534); make it writable for the daemon\'s user (e.g. chown) or choose another path.' },
    { name: "a path through a file", path: "/etc/passwd/state.json", notWritable: {}, message: 'DDNS_STATE_STORE_PATH cannot be created: "/etc/passwd" is not a directory.' },
    { name: "a directory as the path", path: "/var/lib/ddns/", notWritable: {}, message: 'DDNS_STATE_STORE_PATH names a directory: "/var/lib/ddns"; give a file in it, e.g. "/var/lib/ddns/state.json".' },
  ])("refuses $name", ({ path, notWritable, message }) => {
    expect(messageOf(file(path), world(TREE, notWritable))).toBe(message);
  });

  it("says so when a directory on the way cannot be examined", () => {
    const access: PathAccess = {
      kind: (p) => {
        if (p === "/root/ddns") throw Object.assign(new Error("EACCES"), { code: "EACCES" });
        return p === "/root/ddns/state.json" ? undefined : "directory";
      },
      writable: () => undefined,
      uid: 65534,
    };
    expect(messageOf(file("/root/ddns/state.json"), access)).toBe('DDNS_STATE_STORE_PATH cannot be used: "/root/ddns" cannot be examined (permission denied for uid 65534).');
  });

  it("is not tested for the memory store", () => {
    expect(() => checkStatePath({ type: "memory" }, world({}, {}))).not.toThrow();
  });
});

describe("the state path against the real file system (node:fs)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-state-path-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts a writable directory and a directory yet to be created, refuses a file on the way", () => {
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, "plain"), "");
    const access = createPathAccess();
    expect(messageOf(file(join(dir, "state", "state.json")), access)).toBeUndefined();
    expect(messageOf(file(join(dir, "new", "deeper", "state.json")), access)).toBeUndefined();
    expect(messageOf(file(join(dir, "plain", "state.json")), access)).toBe(`DDNS_STATE_STORE_PATH cannot be created: ${JSON.stringify(join(dir, "plain"))} is not a directory.`);
  });
});
