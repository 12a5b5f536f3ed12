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

export function redactJson(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[redact(key)] = redactJson(v, redact, depth + 1);
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
