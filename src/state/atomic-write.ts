import type { StateFs } from "./file-store.ts";

export const dirname = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".");

/**
 * Writes `text` to `path` so that a crash leaves the old file or the new one, never half of one: a temporary file in
 * the same folder (`<file>.tmp-<time>-<random>`), fsynced, renamed over the old file.
 */
export async function writeAtomically(fs: StateFs, path: string, text: string, now: () => number): Promise<void> {
  const tmp = `${path}.tmp-${now()}-${Math.random().toString(36).slice(2, 8)}`;
  await fs.mkdir(dirname(path), { recursive: true });
  const handle = await fs.open(tmp, "w");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.unlink(tmp).catch(() => {});
    throw error;
  }
}

/** Removes the `<file>.tmp-…` a kill between open and rename left behind; returns how many. */
export async function removeTemporaries(fs: StateFs, path: string): Promise<number> {
  const prefix = `${path.slice(path.lastIndexOf("/") + 1)}.tmp-`;
  const names = (await fs.readdir?.(dirname(path)).catch(() => [])) ?? [];
  const left = names.filter((name) => name.startsWith(prefix));
  await Promise.all(left.map((name) => fs.unlink(`${dirname(path)}/${name}`).catch(() => {})));
  return left.length;
}
