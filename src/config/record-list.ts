import { quote } from "../core/quote.ts";
import { normaliseRecordName } from "../core/record-names.ts";
import type { Family } from "../core/family.ts";

/**
 * `DDNS_RECORDS` (and a target's `records`): comma-separated names, each with optional options in braces,
 *   home.example.com,nas.example.com{ipv6_suffix=::11:22ff:fe33:4455},printer.example.com{ip_versions=6,ttl=300}
 * Options are comma-separated `key=value` pairs inside the braces. `ip_versions` takes `4`, `6` or `4,6` — the
 * comma of `4,6` is read as part of the value, as is any comma in a `comment`. Names are normalised (lower case,
 * punycode, no trailing dot); an exact repeat is dropped, a repeat with other options is an error.
 */
export interface RecordOptionsInput {
  ipVersions?: Family[];
  ttl?: "auto" | number;
  proxied?: boolean;
  comment?: string;
  /** Raw `ipv6_suffix` text; read against DDNS_IPV6_PREFIX_LENGTH in targets.ts (core/ipv6-suffix.ts). */
  ipv6Suffix?: string;
}

export interface RecordEntry {
  name: string;
  options: RecordOptionsInput;
  /** As written, for messages. */
  raw: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Splits at commas outside braces and parentheses. Returns undefined for unbalanced braces. */
function splitTop(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "(") depth++;
    else if (c === "}" || c === ")") {
      depth--;
      if (depth < 0) return undefined;
    } else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}

const CONTINUES = new Set(["ip_versions", "comment"]);

const OPTION_PARSERS: Record<string, (value: string, into: RecordOptionsInput) => string | undefined> = {
  ip_versions(value, into) {
    const families = new Set<Family>();
    for (const p of value.split(",")) {
      const t = p.trim().toLowerCase().replace(/^ipv/, "");
      if (t !== "4" && t !== "6") return `ip_versions must be 4, 6 or 4,6 (got ${quote(value, 40)})`;
      families.add(Number(t) as Family);
    }
    into.ipVersions = [...families].sort();
    return undefined;
  },
  ttl(value, into) {
    if (value.toLowerCase() === "auto") return void (into.ttl = "auto");
    if (!/^\d{1,6}$/.test(value)) return `ttl must be auto or a number of seconds (got ${quote(value, 40)})`;
    into.ttl = Number(value);
    return undefined;
  },
  proxied(value, into) {
    const t = value.toLowerCase();
    if (["true", "yes", "1", "on"].includes(t)) into.proxied = true;
    else if (["false", "no", "0", "off"].includes(t)) into.proxied = false;
    else return `proxied must be true or false (got ${quote(value, 40)})`;
    return undefined;
  },
  comment(value, into) {
    if (/[\x00-\x1f\x7f]/.test(value) || value.length > 500) return "comment must be one line of at most 500 characters";
    into.comment = value;
    return undefined;
  },
  ipv6_suffix(value, into) {
    into.ipv6Suffix = value;
    return undefined;
  },
};

function parseOptions(body: string): Parsed<RecordOptionsInput> {
  const options: RecordOptionsInput = {};
  const pairs: Array<[string, string]> = [];
  for (const part of splitTop(body) ?? []) {
    const eq = part.indexOf("=");
    const last = pairs[pairs.length - 1];
    if (eq < 0) {
      if (last && CONTINUES.has(last[0])) last[1] += `,${part}`;
      else if (part.trim() !== "") return { ok: false, reason: `option ${quote(part.trim(), 40)} needs a value (key=value)` };
      continue;
    }
    pairs.push([part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim()]);
  }
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    const parse = OPTION_PARSERS[key];
    if (!parse) return { ok: false, reason: `unknown option ${quote(key, 40)} (known: ${Object.keys(OPTION_PARSERS).join(", ")})` };
    if (seen.has(key)) return { ok: false, reason: `${key} is set twice` };
    seen.add(key);
    if (value === "") return { ok: false, reason: `option ${key} needs a value` };
    const problem = parse(value, options);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, value: options };
}

/** The reason completes "<VARIABLE> …" (e.g. `has "x{ttl=a}": ttl must be …`). */
export function parseRecordEntries(raw: string): { ok: true; records: RecordEntry[] } | { ok: false; reason: string } {
  const parts = splitTop(raw);
  if (!parts) return { ok: false, reason: `has unbalanced braces in ${quote(raw, 80)}` };
  const records: RecordEntry[] = [];
  for (const part of parts) {
    const text = part.trim();
    const brace = text.indexOf("{");
    const namePart = brace < 0 ? text : text.slice(0, brace);
    if (brace >= 0 && !text.endsWith("}")) return { ok: false, reason: `has ${quote(text, 80)}: options go in braces at the end of a name, name{key=value,…}` };
    const name = normaliseRecordName(namePart);
    if (!name.ok) return name;
    const options = brace < 0 ? { ok: true as const, value: {} } : parseOptions(text.slice(brace + 1, -1));
    if (!options.ok) return { ok: false, reason: `has ${quote(text, 80)}: ${options.reason}` };
    const same = records.find((r) => r.name === name.name);
    if (same) {
      if (JSON.stringify(same.options) === JSON.stringify(options.value)) continue;
      return { ok: false, reason: `lists ${quote(name.name)} twice with different options` };
    }
    records.push({ name: name.name, options: options.value, raw: text });
  }
  return { ok: true, records };
}
