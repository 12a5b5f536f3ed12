import * as v from "valibot";
import type { Logger } from "../log/logger.ts";
import type { StateFs } from "./file-store.ts";
import type { HistoryEntry, HistoryStore } from "./history-types.ts";
import { HISTORY_FORMAT_VERSION, historyFileSchema } from "./history-schema.ts";
import { removeTemporaries, writeAtomically } from "./atomic-write.ts";

/**
 * The history file beside the state file: `state.json` → `state.history.json` (a name without `.json` gets
 * `.history.json` appended). A file of its own, with its own format version, so that the state file's format and
 * the history's change independently; the state file stays what it was (version 1) and is read as before.
 */
export function historyPathFor(statePath: string): string {
  const slash = statePath.lastIndexOf("/");
  const base = statePath.slice(slash + 1);
  const stem = base.endsWith(".json") && base.length > ".json".length ? base.slice(0, -".json".length) : base;
  return `${statePath.slice(0, slash + 1)}${stem}.history.json`;
}

/**
 * The history in a JSON file, written like the state file (atomically, fsynced). A missing file is a new history;
 * a corrupt one, or one with a value the daemon could not have written (history-schema.ts), is moved aside with one
 * warning and the history starts anew — the records themselves do not depend on it.
 */
export function createHistoryFile(deps: { path: string; fs: StateFs; log: Logger; now: () => number }): HistoryStore {
  const { path, fs, log } = deps;
  const schema = historyFileSchema(deps.now);
  return {
    async load() {
      await removeTemporaries(fs, path);
      let text: string;
      try {
        text = await fs.readFile(path, "utf8");
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code !== "ENOENT") log.warn(`Could not read the history file ${JSON.stringify(path)} (${code ?? (error as Error).message}); starting a new history`);
        return [];
      }
      let reason = "";
      try {
        const result = v.safeParse(schema, JSON.parse(text));
        if (result.success) return result.output.entries.map((e) => ({ ...e }) as HistoryEntry);
        reason = `${result.issues[0].message} at ${v.getDotPath(result.issues[0]) ?? "top level"}`;
      } catch (error) {
        reason = `not JSON: ${(error as Error).message}`;
      }
      const aside = `${path}.corrupt-${deps.now()}`;
      try {
        await fs.rename(path, aside);
        log.warn(`History file ${JSON.stringify(path)} is not valid (${reason}); moved it to ${JSON.stringify(aside)} and started a new history`);
      } catch {
        log.warn(`History file ${JSON.stringify(path)} is not valid (${reason}) and could not be moved aside; it will be overwritten after the next change`);
      }
      return [];
    },
    async save(entries) {
      const body = JSON.stringify({ version: HISTORY_FORMAT_VERSION, entries }, null, 2);
      await writeAtomically(fs, path, `${body}\n`, deps.now);
    },
  };
}
