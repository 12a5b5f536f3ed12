import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dir, "..", "..");

/**
 * A copy of the repository as a fresh clone has it: the tracked files and the new ones not yet committed (what the
 * next commit will hold), without node_modules, dist or anything .gitignore'd. The caller removes it.
 */
export function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), "ddnsd-fresh-clone-"));
  const list = Bun.spawnSync(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: ROOT });
  if (list.exitCode !== 0) throw new Error(`git ls-files failed: ${list.stderr.toString()}`);
  for (const file of list.stdout.toString().split("\0").filter(Boolean)) {
    cpSync(join(ROOT, file), join(dir, file), { recursive: true, verbatimSymlinks: true });
  }
  return dir;
}
