/**
 * The little XML reading UPnP needs — a device description's `<service>` entries and one SOAP answer — written by
 * hand: no XML library is in the stack, and a general parser (entities, DTDs, namespaces) is more attack surface
 * than a handful of known elements from a LAN device deserve. It is strict and bounded: the caller caps the input
 * (64 KiB), at most `limit` elements are read, element names are fixed by the caller (never from the input), a
 * namespace prefix is allowed and ignored, and an element's text must be plain text — markup, CDATA or an unknown
 * entity inside makes it unreadable (`undefined`), never guessed at. Scanning is linear: each search starts where the
 * previous one ended. Nothing here throws.
 */
const PREFIX = "(?:[A-Za-z_][A-Za-z0-9_.-]{0,31}:)?";

/** The inner text of each `<name …>…</name>` (any namespace prefix) in document order; `<name/>` gives "". */
export function elements(xml: string, name: string, limit = 32): string[] {
  const open = new RegExp(`<${PREFIX}${name}(?:\\s[^<>]{0,512})?/?>`, "g");
  const close = new RegExp(`</${PREFIX}${name}\\s{0,16}>`, "g");
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while (out.length < limit && (m = open.exec(xml)) !== null) {
    if (m[0].endsWith("/>")) {
      out.push("");
      continue;
    }
    const start = m.index + m[0].length;
    close.lastIndex = start;
    const c = close.exec(xml);
    if (c === null) break;
    out.push(xml.slice(start, c.index));
    open.lastIndex = c.index + c[0].length;
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** An element's content as text: entities decoded, surrounding whitespace trimmed; `undefined` when it holds markup. */
export function plainText(inner: string): string | undefined {
  if (inner.includes("<") || inner.includes(">")) return undefined;
  // Every `&` must start one of the five XML entities or a character reference.
  if (/&(?!(?:#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);)/.test(inner)) return undefined;
  let bad = false;
  const text = inner.replace(/&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (_entity, body: string) => {
    if (!body.startsWith("#")) return ENTITIES[body]!;
    const code = body[1] === "x" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (code > 0x10ffff || code === 0) bad = true;
    return bad ? "" : String.fromCodePoint(code);
  });
  return bad ? undefined : text.trim();
}

/** The plain text of the first `<name>` element, or `undefined` when there is none or it is not plain text. */
export function firstText(xml: string, name: string): string | undefined {
  const [inner] = elements(xml, name, 1);
  return inner === undefined ? undefined : plainText(inner);
}
