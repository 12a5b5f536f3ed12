import { accessSync, constants, statSync } from "node:fs";
import process from "node:process";
import type { PathAccess } from "../config/state-path.ts";

/** config/state-path.ts's view of the file system, through node:fs (Bun and Deno both provide it), synchronous. */
export function createPathAccess(): PathAccess {
  return {
    kind(path) {
      try {
        const s = statSync(path);
        return s.isDirectory() ? "directory" : s.isFile() ? "file" : "other";
      } catch (error) {
        // ENOTDIR: a file on the way; the walk up to it (config/state-path.ts) names it.
        const code = (error as { code?: string }).code;
        if (code === "ENOENT" || code === "ENOTDIR") return undefined;
        throw error;
      }
    },
    writable(dir) {
      try {
        accessSync(dir, constants.W_OK | constants.X_OK);
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code ?? "EACCES";
      }
    },
    ...(typeof process.getuid === "function" ? { uid: process.getuid() } : {}),
  };
}
