/**
 * Reads the status page's HTML (from `app.request("/")` or a browser's dumped DOM) into what a person sees: the
 * records table by row, the address cards, the timeline, and every element a page must not have (scripts, event
 * handler attributes, external references). Bun's HTMLRewriter parses; entities are decoded as a browser would.
 */
export interface PageView {
  title: string;
  readiness: { ready: string | null; text: string };
  records: Array<{ key: string; state: string | null; cells: Record<string, string> }>;
  addresses: Record<string, { address: string; source: string | null; error: string | null }>;
  history: Array<{ kind: string | null; key: string | null; text: string; datetime: string | null }>;
  sparkTotal: string | null;
  /** `<script>` elements, `on…=` attributes, and `src`/`href` pointing off the page's own origin. */
  scripts: number;
  handlers: string[];
  external: string[];
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00a0" };
export const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) =>
    name[0] === "#" ? String.fromCodePoint(name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)) : (ENTITIES[name] ?? whole),
  );
const squash = (text: string) => decode(text).replace(/\s+/g, " ").trim();

export async function readPage(html: string): Promise<PageView> {
  const view: PageView = { title: "", readiness: { ready: null, text: "" }, records: [], addresses: {}, history: [], sparkTotal: null, scripts: 0, handlers: [], external: [] };
  let title = "";
  let readiness = "";
  let cell: { row: PageView["records"][number]; label: string; text: string } | undefined;
  let card: { family: string; field: string | null; address: string; source: string; error: string } | undefined;
  let event: (PageView["history"][number] & { raw: string }) | undefined;
  const cells: Array<NonNullable<typeof cell>> = [];
  const cards: Array<NonNullable<typeof card>> = [];
  const events: Array<NonNullable<typeof event>> = [];
  await new HTMLRewriter()
    .on("*", {
      element(e) {
        if (e.tagName === "script") view.scripts += 1;
        for (const [name, value] of e.attributes) {
          if (/^on/i.test(name)) view.handlers.push(`${e.tagName} ${name}`);
          if ((name === "src" || name === "href") && /^(?:[a-z]+:)?\/\//i.test(value)) view.external.push(value);
        }
      },
    })
    .on("head > title", { text: (t) => void (title += t.text) })
    .on("#readiness", { element: (e) => void (view.readiness.ready = e.getAttribute("data-ready")), text: (t) => void (readiness += t.text) })
    .on("tr[data-record]", { element: (e) => void view.records.push({ key: decode(e.getAttribute("data-record") ?? ""), state: e.getAttribute("data-state"), cells: {} }) })
    .on("tr[data-record] td", {
      element: (e) => void cells.push((cell = { row: view.records.at(-1)!, label: e.getAttribute("data-label") ?? "", text: "" })),
      text: (t) => void (cell && (cell.text += t.text)),
    })
    .on(".card[data-family]", { element: (e) => void cards.push((card = { family: e.getAttribute("data-family")!, field: null, address: "", source: "", error: "" })) })
    .on(".card [data-field]", {
      element: (e) => void (card && (card.field = e.getAttribute("data-field"))),
      text: (t) => {
        if (!card) return;
        if (card.field === "address") card.address += t.text;
        if (card.field === "source") card.source += t.text;
        if (card.field === "error") card.error += t.text;
      },
    })
    .on(".timeline > li", {
      element: (e) => void events.push((event = { kind: e.getAttribute("data-kind"), key: e.getAttribute("data-record") ?? e.getAttribute("data-family"), text: "", datetime: null, raw: "" })),
      text: (t) => void (event && (event.raw += t.text)),
    })
    .on(".timeline > li br", { element: () => void (event && (event.raw += " ")) })
    .on(".timeline > li time", { element: (e) => void (event && (event.datetime = e.getAttribute("datetime"))) })
    .on("svg.spark", { element: (e) => void (view.sparkTotal = e.getAttribute("data-total")) })
    .transform(new Response(html))
    .text();
  view.title = squash(title);
  view.readiness.text = squash(readiness);
  for (const c of cells) c.row.cells[c.label] = squash(c.text);
  for (const c of cards) view.addresses[c.family] = { address: squash(c.address), source: c.source ? squash(c.source) : null, error: c.error ? squash(c.error) : null };
  view.history = events.map(({ raw, ...e }) => ({ ...e, key: e.key === null ? null : decode(e.key), text: squash(raw) }));
  return view;
}
