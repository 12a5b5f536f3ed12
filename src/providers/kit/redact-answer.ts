/**
 * Redaction of what a service answered, before any provider sees it. A service (or a proxy in front of it) may
 * echo the request — its token header, a key in the query — in an error message; a provider that quotes that
 * message shortened would otherwise cut a secret in half, and half a token is no longer recognised by the
 * logger's redactor. So the client redacts every answer whole, first: the text, and every string in parsed JSON
 * (JSON is parsed from the raw text, then redacted, so that a secret that happens to look like a number or a key
 * cannot break the structure).
 */
export type Redact = (text: string) => string;

/** Nesting kept; anything deeper becomes null (no API answer ddnsd reads nests this far). */
const MAX_DEPTH = 64;

/**
 * The value with every string (keys included) redacted and anything nested deeper than MAX_DEPTH cut to null. Copy on
 * write: a part with nothing to redact is handed back as it is, so that an answer without a secret in it — nearly
 * every answer — costs no copy (a 1000-record listing or batch answer would otherwise be built twice, with an entries
 * array per object). Only given freshly parsed JSON (parseRedactedJson), which nobody else holds.
 */
export function redactJson(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return redactArray(value, redact, depth);
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const v = source[key];
    const r = redactJson(v, redact, depth + 1);
    const k = redact(key);
    if (!out && (r !== v || k !== key)) out = copyBefore(source, key);
    if (out) out[k] = r;
  }
  return out ?? value;
}

function redactArray(value: readonly unknown[], redact: Redact, depth: number): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    const r = redactJson(v, redact, depth + 1);
    if (!out && r !== v) out = value.slice(0, i);
    if (out) out.push(r);
  }
  return out ?? (value as unknown[]);
}

/** A fresh object with the entries of `source` before `stop` (they needed no redaction). */
function copyBefore(source: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in source) {
    if (key === stop) break;
    if (Object.hasOwn(source, key)) out[key] = source[key];
  }
  return out;
}

/** Parses `text` as JSON and redacts it: `json: undefined` for an empty body, `ok: false` when it is not JSON. */
export function parseRedactedJson(text: string, redact: Redact): { ok: true; json: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, json: undefined };
  try {
    return { ok: true, json: redactJson(JSON.parse(text), redact) };
  } catch {
    return { ok: false };
  }
}

const HTML_START = /^\s*<(!doctype|html|head|body|\?xml)/i;

/** An HTML (or XML) page where JSON was expected: by its Content-Type or by how it starts. */
export function looksLikeHtml(contentType: string, text: string): boolean {
  return /html/i.test(contentType) || HTML_START.test(text);
}
