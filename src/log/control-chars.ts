/**
 * Control characters in log output. A text log line must stay one line whatever a message or a field holds — an
 * environment variable's name, a record's content from a provider, an error from a remote service — or a value
 * could forge lines (`…\nINFO Updated A record…`) or drive the reader's terminal. Escaped here: C0 (U+0000–U+001F),
 * DEL, C1 (U+0080–U+009F, which includes NEL and CSI) and the Unicode line and paragraph separators.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_ALL = new RegExp(CONTROL.source, "g");
/** What JSON.stringify leaves raw: DEL, C1 and the separators (it already escapes C0). */
const JSON_LEFT = /[\u007f-\u009f\u2028\u2029]/;
const JSON_LEFT_ALL = new RegExp(JSON_LEFT.source, "g");

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, "0");

/** Text form: `\n`, `\r`, `\t`, `\xNN` for the other C0, DEL and C1 characters, `\u2028` and `\u2029`. */
export function escapeControl(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL_ALL, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/** JSON form: the characters JSON.stringify leaves raw, as `\uNNNN` escapes (the parsed value is unchanged). */
export function escapeJsonControl(json: string): string {
  if (!JSON_LEFT.test(json)) return json;
  return json.replace(JSON_LEFT_ALL, (c) => `\\u${hex(c, 4)}`);
}
