import { parse, TomlError } from "smol-toml";
import { quote } from "../core/quote.ts";

/**
 * `DDNS_CONFIG_FILE`: several targets in one TOML file, each `[[target]]` table with the per-target variables'
 * names lower-cased without `DDNS_` (`provider_type`, `provider_api_token_file`, `records`, `record_ttl`,
 * `cloudflare_…`). This module only reads the file's shape: it turns each table into the same name → text map the
 * environment gives (`provider_type = …` → `DDNS_PROVIDER_TYPE`), so that targets from a file and from the environment
 * are validated by the same descriptor schemas (config/targets.ts), and it remembers each key's line so that an
 * error can say "file, line and key". Secrets are never quoted.
 */
export interface FileTarget {
  /** 1-based position among the `[[target]]` tables. */
  position: number;
  /** Optional `id = "…"` of the table. */
  id?: string;
  /** Variable name (DDNS_…) → value as text; arrays of strings joined with commas (`records`). */
  values: Record<string, string>;
  /** The line of a variable's key, for messages. */
  lineOf(variable: string): number | undefined;
  /** The table's header line. */
  line: number;
}

export type FileParse = { ok: true; targets: FileTarget[] } | { ok: false; message: string };

/** `provider_api_token` ↔ `DDNS_PROVIDER_API_TOKEN`. */
export const variableOfKey = (key: string) => `DDNS_${key.toUpperCase()}`;
export const keyOfVariable = (variable: string) => variable.replace(/^DDNS_/, "").toLowerCase();

function headerLines(lines: string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*\[\[\s*target\s*\]\]\s*(#.*)?$/.test(l)) out.push(i + 1);
  });
  return out;
}

function toText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((x) => typeof x === "string" || typeof x === "number")) return value.join(",");
  return undefined;
}

export function parseConfigFile(path: string, text: string): FileParse {
  const where = quote(path);
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) return { ok: false, message: `${where} line ${error.line}: ${error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "")}` };
    return { ok: false, message: `${where} could not be read as TOML` };
  }
  const extra = Object.keys(doc).filter((k) => k !== "target");
  if (extra.length > 0) {
    return { ok: false, message: `${where} has ${quote(extra[0]!)} outside a [[target]] table; daemon-wide settings stay in the environment, each target is a [[target]] table` };
  }
  const tables = doc.target;
  if (!Array.isArray(tables) || tables.length === 0) return { ok: false, message: `${where} has no [[target]] table` };
  const lines = text.split(/\r?\n/);
  const headers = headerLines(lines);
  const targets: FileTarget[] = [];
  for (const [i, table] of tables.entries()) {
    const start = headers[i] ?? 1;
    const end = headers[i + 1] ?? lines.length + 1;
    const lineOfKey = (key: string) => {
      for (let n = start; n < end; n++) if (new RegExp(`^\\s*"?${key}"?\\s*=`).test(lines[n - 1] ?? "")) return n;
      return undefined;
    };
    const lineOf = (variable: string) => lineOfKey(keyOfVariable(variable));
    const values: Record<string, string> = {};
    let id: string | undefined;
    for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
      if (key === "id") {
        if (typeof value !== "string" || !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(value)) {
          return { ok: false, message: `${where} line ${lineOfKey("id") ?? start}: id must be 1 to 32 lower-case letters, digits, - or _ (got ${quote(String(value), 40)})` };
        }
        id = value;
        continue;
      }
      const text = toText(value);
      const variable = variableOfKey(key);
      if (text === undefined) {
        return { ok: false, message: `${where} line ${lineOf(variable) ?? start}: ${key} must be a string, a number, true/false or a list of strings` };
      }
      values[variable] = text;
    }
    targets.push({ position: i + 1, ...(id ? { id } : {}), values, lineOf, line: start });
  }
  return { ok: true, targets };
}
