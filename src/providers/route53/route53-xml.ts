/**
 * The few Route 53 XML elements ddnsd reads and writes, by hand: Route 53 answers flat, namespace-free-by-prefix
 * documents (no CDATA, no attributes ddnsd needs, no nesting of an element in itself), so a tag scanner of a dozen
 * lines does what a general XML library (fast-xml-parser: ~100 KiB, its own entity and prototype-pollution history)
 * would, with nothing to configure. Anything it cannot find reads as absent, never as a crash.
 */
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Text with XML's five entities and numeric references resolved. */
export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== "#") return ENTITIES[ref] ?? whole;
    const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** Text made safe inside an element. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&${Object.entries(ENTITIES).find(([, v]) => v === c)![0]};`);

/** The raw inner markup of every `<tag>…</tag>` (or `<tag/>`, as "") in `xml`, in order. */
export function elements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`, "g");
  for (const match of xml.matchAll(pattern)) out.push(match[1] ?? "");
  return out;
}

/** The text of the first `<tag>` in `xml`, entities resolved, or undefined. */
export function textOf(xml: string, tag: string): string | undefined {
  const first = elements(xml, tag)[0];
  return first === undefined ? undefined : unescapeXml(first.trim());
}

/** `<tag>text</tag>`, the text escaped. */
export const element = (tag: string, text: string | number): string => `<${tag}>${escapeXml(String(text))}</${tag}>`;
