import * as v from "valibot";
import type { Logger } from "../log/logger.ts";
import { recordKey } from "../core/record-key.ts";
import type { RecordState, StateStore } from "./types.ts";
import type { HistoryEntry } from "./history-types.ts";
import { FORMAT_VERSION, stateFileSchema, type StateFile } from "./state-schema.ts";

/** The few file operations the store needs; main.ts passes node:fs/promises (Bun and Deno both provide it). */
export interface StateFs {
  readFile(path: string, encoding: "utf8"): Promise<string>;
  open(path: string, flags: "w"): Promise<{ writeFile(data: string): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  /** Lists a folder, to clear temporary files a crash left behind (optional: without it they stay). */
  readdir?(path: string): Promise<string[]>;
}

const dirname = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) || "/" : ".");

/**
 * State in a JSON file with a format version. Writes go to a temporary file in the same folder, are fsynced and
 * renamed over the old file, so a crash leaves either the old or the new state, never half of one. A corrupt or
 * foreign file, or one with any field the daemon could not have written (state-schema.ts), is moved aside with a
 * warning and the state is rebuilt from the provider.
 *
 * A file of format 1 (before targets) is still read: its records belong to the configuration's one target; with
 * several targets nobody can tell whose they were, so they are not used (one line says so) and the first round
 * reads every provider again. Format 3 holds the history too (newest first); files of formats 1 and 2 have none.
 */
export interface FileStoreDeps {
  path: string;
  fs: StateFs;
  log: Logger;
  now: () => number;
  /** The configured target ids, in order. */
  targets: readonly string[];
}

export function createFileStore(deps: FileStoreDeps): StateStore {
  const { path, fs, log } = deps;
  const schema = stateFileSchema(deps.now);
  /** The history of the file as last read or written: a save without one (the engine's pre-write save) keeps it. */
  let history: HistoryEntry[] = [];
  /** A kill between open and rename leaves `<file>.tmp-…` behind; it never holds the state, so it goes at start. */
  async function removeLeftovers(): Promise<void> {
    const prefix = `${path.slice(path.lastIndexOf("/") + 1)}.tmp-`;
    const names = (await fs.readdir?.(dirname(path)).catch(() => [])) ?? [];
    const left = names.filter((name) => name.startsWith(prefix));
    await Promise.all(left.map((name) => fs.unlink(`${dirname(path)}/${name}`).catch(() => {})));
    if (left.length > 0) log.info(`Removed ${left.length} temporary state file(s) left by an interrupted write`);
  }
  return {
    type: "file",
    async load() {
      await removeLeftovers();
      let text: string;
      try {
        text = await fs.readFile(path, "utf8");
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "ENOENT") {
          log.info(`State file ${JSON.stringify(path)} does not exist yet; it will be created after the first update`);
        } else {
          log.warn(`Could not read state file ${JSON.stringify(path)} (${code ?? (error as Error).message}); starting from the provider's records`);
        }
        return new Map();
      }
      let parsed: StateFile | undefined;
      let reason = "";
      try {
        const result = v.safeParse(schema, JSON.parse(text));
        if (result.success) parsed = result.output;
        else reason = `${result.issues[0].message} at ${v.getDotPath(result.issues[0]) ?? "top level"}`;
      } catch (error) {
        reason = `not JSON: ${(error as Error).message}`;
      }
      if (!parsed) {
        const aside = `${path}.corrupt-${deps.now()}`;
        try {
          await fs.rename(path, aside);
          log.warn(`State file ${JSON.stringify(path)} is not valid (${reason}); moved it to ${JSON.stringify(aside)} and will rebuild the state from the provider`);
        } catch {
          log.warn(`State file ${JSON.stringify(path)} is not valid (${reason}) and could not be moved aside; it will be overwritten after the next update`);
        }
        return new Map();
      }
      history = parsed.version === FORMAT_VERSION ? parsed.history.map((e) => ({ ...e }) as HistoryEntry) : [];
      return new Map(recordsOf(parsed, deps).map((r) => [recordKey(r), r]));
    },
    history: () => history.map((e) => ({ ...e })),
    async save(records: Map<string, RecordState>, entries?: readonly HistoryEntry[]) {
      const next = entries ? entries.map((e) => ({ ...e })) : history;
      const body = JSON.stringify({ version: FORMAT_VERSION, records: [...records.values()], history: next }, null, 2);
      const tmp = `${path}.tmp-${deps.now()}-${Math.random().toString(36).slice(2, 8)}`;
      await fs.mkdir(dirname(path), { recursive: true });
      const handle = await fs.open(tmp, "w");
      try {
        await handle.writeFile(`${body}\n`);
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
      history = next;
    },
  };
}

/** The records of a parsed file, each with its target (format 1: the one target's, or none at all). */
function recordsOf(file: StateFile, deps: FileStoreDeps): RecordState[] {
  if (file.version !== 1) return file.records.map((r) => ({ ...r }));
  const only = deps.targets.length === 1 ? deps.targets[0] : undefined;
  if (only !== undefined) return file.records.map((r) => ({ target: only, ...r }));
  if (file.records.length > 0) {
    deps.log.info(
      `State file ${JSON.stringify(deps.path)} was written before ddnsd had targets and this configuration has ${deps.targets.length}: ` +
        `its ${file.records.length} record(s) are not used; the state is rebuilt from the providers`,
    );
  }
  return [];
}
