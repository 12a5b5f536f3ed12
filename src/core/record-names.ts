import process from "node:process";

/** node:url loads only when a name is not ASCII: at startup it would cost every daemon ~1 MiB of RSS. */
const idnToAscii = (text: string) => process.getBuiltinModule("node:url").domainToASCII(text);

/**
 * Normalises one record name as operators write it: lower case, IDN → punycode (WHATWG `domainToASCII`, in both
 * Bun and Deno through node:url), trailing dot stripped, a leading `*.` wildcard kept. Returns the name or a reason.
 */
/** Quotes an operator's value for a message, cut so that a huge value cannot make a huge error line. */
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

export function normaliseRecordName(raw: string): { ok: true; name: string } | { ok: false; reason: string } {
  const quoted = quote(raw);
  let text = raw.trim().replace(/\.$/, "");
  if (text === "") return { ok: false, reason: "contains an empty name (check for a stray comma)" };
  const wildcard = text.startsWith("*.");
  if (wildcard) text = text.slice(2);
  if (text.includes("*")) return { ok: false, reason: `has ${quoted}: a wildcard is only allowed as the first label ("*.example.com")` };
  const ascii = /^[\x21-\x7e]*$/.test(text) ? text.toLowerCase() : idnToAscii(text);
  if (!ascii) return { ok: false, reason: `has ${quoted}, which is not a valid domain name` };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, reason: `has ${quoted}: use a fully-qualified name such as "home.example.com"` };
  for (const label of labels) {
    if (!/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label)) {
      return { ok: false, reason: `has ${quoted}, which is not a valid domain name (label ${quote(label)})` };
    }
  }
  const name = (wildcard ? "*." : "") + ascii;
  if (name.length > 253) return { ok: false, reason: `has a name longer than 253 characters` };
  return { ok: true, name };
}

/** Splits `DDNS_RECORDS`, normalises each name and removes duplicates, keeping the operator's order. */
export function parseRecordList(raw: string): { ok: true; names: string[] } | { ok: false; reason: string } {
  const names: string[] = [];
  for (const part of raw.split(",")) {
    const result = normaliseRecordName(part);
    if (!result.ok) return result;
    if (!names.includes(result.name)) names.push(result.name);
  }
  return { ok: true, names };
}
