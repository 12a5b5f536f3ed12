/**
 * A small XML-RPC writer and reader (xmlrpc.com/spec: `methodCall` / `methodResponse`, values `string`, `int`/`i4`,
 * `boolean`, `double`, `nil`, `array`, `struct`; a `<value>` without a type is a string). Hand-written because the
 * npm XML-RPC packages bring their own HTTP clients and streaming XML parsers (sax) — ddnsd needs only to build a
 * call and read one answer of at most 512 KiB through the kit's own client. The reader takes the few XML pieces
 * XML-RPC uses (elements, text, the five entities and numeric references, CDATA, comments, the declaration) and
 * returns undefined for anything else, so a provider can say "not an XML-RPC answer" instead of crashing.
 */
export type XmlRpcValue = string | number | boolean | null | XmlRpcValue[] | { [member: string]: XmlRpcValue };

export type XmlRpcDocument =
  | { kind: "call"; method: string; params: XmlRpcValue[] }
  | { kind: "response"; value: XmlRpcValue }
  | { kind: "fault"; code: number; message: string };

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function encodeValue(value: XmlRpcValue): string {
  if (value === null) return "<value><nil/></value>";
  if (typeof value === "string") return `<value><string>${escape(value)}</string></value>`;
  if (typeof value === "boolean") return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === "number") return Number.isInteger(value) ? `<value><int>${value}</int></value>` : `<value><double>${value}</double></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(encodeValue).join("")}</data></array></value>`;
  const members = Object.entries(value).map(([name, v]) => `<member><name>${escape(name)}</name>${encodeValue(v)}</member>`);
  return `<value><struct>${members.join("")}</struct></value>`;
}

export function encodeCall(method: string, params: readonly XmlRpcValue[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>${escape(method)}</methodName><params>${params.map((p) => `<param>${encodeValue(p)}</param>`).join("")}</params></methodCall>`;
}

export function encodeResponse(value: XmlRpcValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>`;
}

export function encodeFault(code: number, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><fault>${encodeValue({ faultCode: code, faultString: message })}</fault></methodResponse>`;
}

type Node = { tag: string; children: Node[]; text: string };
const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const MAX_DEPTH = 64;

function unescape(text: string): string | undefined {
  let bad = false;
  const out = text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (all, ref: string) => {
    const code = ref[0] === "#" ? Number.parseInt(ref[1] === "x" || ref[1] === "X" ? ref.slice(2) : ref.slice(1), ref[1] === "x" || ref[1] === "X" ? 16 : 10) : undefined;
    const char = code !== undefined ? (code <= 0x10ffff ? String.fromCodePoint(code) : undefined) : ENTITIES[ref];
    if (char === undefined || !all.endsWith(";")) bad = true;
    return char ?? "";
  });
  return bad ? undefined : out;
}

/** The element tree of an XML document, or undefined when it is not well formed (as far as XML-RPC needs). */
function parseXml(xml: string): Node | undefined {
  const root: Node = { tag: "", children: [], text: "" };
  const stack: Node[] = [root];
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)(?:\s[^<>]*?)?(\/?)>|([^<]+)|</g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const top = stack.at(-1)!;
    const [all, cdata, close, tag, selfClose, text] = m;
    if (all.startsWith("<!--") || all.startsWith("<?")) continue;
    if (cdata !== undefined) top.text += cdata;
    else if (text !== undefined) {
      const plain = unescape(text);
      if (plain === undefined) return undefined;
      top.text += plain;
    } else if (tag === undefined) return undefined;
    else if (close) {
      if (top.tag !== tag || stack.length === 1) return undefined;
      stack.pop();
    } else {
      const node: Node = { tag, children: [], text: "" };
      top.children.push(node);
      if (!selfClose) stack.push(node);
      if (stack.length > MAX_DEPTH) return undefined;
    }
  }
  return stack.length === 1 && root.children.length === 1 && root.text.trim() === "" ? root.children[0] : undefined;
}

const only = (node: Node | undefined, tag: string): Node | undefined => (node?.tag === tag ? node : undefined);
const child = (node: Node | undefined, tag: string): Node | undefined => node?.children.find((c) => c.tag === tag);

function readValue(node: Node | undefined): XmlRpcValue | undefined {
  if (node?.tag !== "value") return undefined;
  const typed = node.children[0];
  if (!typed) return node.text;
  if (node.children.length !== 1) return undefined;
  const text = typed.text.trim();
  switch (typed.tag) {
    case "string": return typed.text;
    case "int": case "i4": case "i8": return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
    case "double": return text !== "" && Number.isFinite(Number(text)) ? Number(text) : undefined;
    case "boolean": return text === "1" ? true : text === "0" ? false : undefined;
    case "nil": return null;
    case "dateTime.iso8601": case "base64": return text;
    case "array": {
      const values = (child(typed, "data")?.children ?? []).map(readValue);
      return values.every((v) => v !== undefined) ? (values as XmlRpcValue[]) : undefined;
    }
    case "struct": {
      const out: Record<string, XmlRpcValue> = {};
      for (const member of typed.children) {
        const name = child(member, "name")?.text;
        const value = readValue(child(member, "value"));
        if (member.tag !== "member" || name === undefined || value === undefined) return undefined;
        out[name] = value;
      }
      return out;
    }
    default: return undefined;
  }
}

/** A methodCall, a methodResponse or a fault; undefined for any other text. */
export function parseXmlRpc(xml: string): XmlRpcDocument | undefined {
  const doc = parseXml(xml);
  if (only(doc, "methodCall")) {
    const method = child(doc, "methodName")?.text.trim();
    const params = (child(doc, "params")?.children ?? []).map((p) => readValue(child(p, "value")));
    return method && params.every((p) => p !== undefined) ? { kind: "call", method, params: params as XmlRpcValue[] } : undefined;
  }
  if (!only(doc, "methodResponse")) return undefined;
  const fault = readValue(child(child(doc, "fault"), "value"));
  if (fault && typeof fault === "object" && !Array.isArray(fault)) {
    const { faultCode, faultString } = fault;
    return typeof faultCode === "number" ? { kind: "fault", code: faultCode, message: typeof faultString === "string" ? faultString : "" } : undefined;
  }
  const value = readValue(child(child(child(doc, "params"), "param"), "value"));
  return value === undefined ? undefined : { kind: "response", value };
}
