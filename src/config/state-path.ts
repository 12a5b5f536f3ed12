import { ConfigError } from "../core/errors.ts";
import type { Config } from "./types.ts";

/**
 * The file state store writes `<path>.tmp-…` next to DDNS_STATE_STORE_PATH and renames it over the file, creating
 * the directory first when it is missing: that directory must exist and be writable, or be creatable. `check` and
 * start-up test it (a non-root user with /var/lib/ddns would otherwise get an error every round).
 */
export interface PathAccess {
  /** What is at `path` (symlinks followed): undefined when nothing is. Throws (with `code`) when it cannot be told. */
  kind(path: string): "directory" | "file" | "other" | undefined;
  /** undefined when this process may create and rename entries in the directory, else the errno code (EACCES, EROFS…). */
  writable(dir: string): string | undefined;
  /** The process's user id, for the message (undefined where there is none). */
  uid?: number;
}

const VARIABLE = "DDNS_STATE_STORE_PATH";
const q = (s: string) => JSON.stringify(s);
const parent = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".");
const reasonOf = (code: string) =>
  code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code;

export function checkStatePath(state: Config["state"], access: PathAccess): void {
  if (state.type !== "file" || state.path === undefined) return;
  const path = state.path.replace(/\/+$/, "") || "/";
  const user = access.uid === undefined ? "this user" : `uid ${access.uid}`;
  const kindOf = (p: string) => {
    try {
      return access.kind(p);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unreadable";
      throw new ConfigError(VARIABLE, `${VARIABLE} cannot be used: ${q(p)} cannot be examined (${reasonOf(code)} for ${user}).`);
    }
  };
  if (kindOf(path) === "directory") {
    throw new ConfigError(VARIABLE, `${VARIABLE} names a directory: ${q(path)}; give a file in it, e.g. ${q(`${path === "/" ? "" : path}/state.json`)}.`);
  }
  const dir = parent(path);
  // The nearest directory that exists: the store's mkdir creates the rest in it.
  let existing = dir;
  let kind = kindOf(existing);
  while (kind === undefined && existing !== "/" && existing !== ".") {
    existing = parent(existing);
    kind = kindOf(existing);
  }
  if (kind === undefined) return; // "." or "/" missing: nothing sensible to test
  if (kind !== "directory") {
    throw new ConfigError(VARIABLE, `${VARIABLE} cannot be created: ${q(existing)} is not a directory.`);
  }
  const denied = access.writable(existing);
  if (denied === undefined) return;
  const what = existing === dir
    ? `is in a directory ${user} cannot write: ${q(dir)} (${reasonOf(denied)})`
    : `is in a directory that does not exist and cannot be created: ${q(dir)} (${q(existing)}: ${reasonOf(denied)} for ${user})`;
  throw new ConfigError(VARIABLE, `${VARIABLE} ${what}; make it writable for the daemon's user (e.g. chown) or choose another path.`);
}
