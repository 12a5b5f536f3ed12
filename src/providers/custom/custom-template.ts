/**
 * The templates of the `custom` provider (pure): text with `{placeholder}`s. A `{` followed by a word and `}` is a
 * placeholder and must be a known one; a `{` followed by a word and anything else is a malformed template; every
 * other brace is literal text (JSON bodies are full of them). Rendering fills each placeholder with its value,
 * URL-encoded in the URL and as it is in headers and the body.
 */
export const PLACEHOLDERS = ["name", "zone", "ip", "ip4", "ip6", "type", "ttl", "token", "key"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type Values = Record<Placeholder, string>;

type Part = { text: string } | { slot: Placeholder };

export interface Template {
  readonly uses: ReadonlySet<Placeholder>;
  render(values: Values, encode?: (value: string) => string): string;
}

/** The template, or why it is malformed (a reason completing "<VARIABLE> …"). */
export function parseTemplate(source: string, offset = 0): { ok: true; template: Template } | { ok: false; reason: string } {
  const parts: Part[] = [];
  const uses = new Set<Placeholder>();
  const pattern = /\{([A-Za-z0-9_]+)(\}?)/g;
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    const [whole, word = "", close] = match;
    if (!close) return { ok: false, reason: `is malformed: ${JSON.stringify(`{${word}`)} at character ${offset + match.index + 1} has no closing "}"` };
    if (!(PLACEHOLDERS as readonly string[]).includes(word)) {
      return { ok: false, reason: `uses the unknown placeholder {${word}}; the known ones are ${PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}` };
    }
    parts.push({ text: source.slice(last, match.index) }, { slot: word as Placeholder });
    uses.add(word as Placeholder);
    last = match.index + whole.length;
  }
  parts.push({ text: source.slice(last) });
  return {
    ok: true,
    template: {
      uses,
      render: (values, encode = (v) => v) => parts.map((p) => ("text" in p ? p.text : encode(values[p.slot]))).join(""),
    },
  };
}

/** Sample values for checking a template at `check` (what a real record gives, with both secrets set). */
export const SAMPLE_VALUES: Values = { name: "home.example.com", zone: "example.com", ip: "203.0.113.7", ip4: "203.0.113.7", ip6: "", type: "A", ttl: "300", token: "t0ken", key: "k3y" };
