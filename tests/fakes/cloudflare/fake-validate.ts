import { parseAddress } from "../../../src/core/address-rules.ts";
import { E, type FakeAnswer } from "./fake-errors.ts";

/**
 * Validation of DNS record bodies as Cloudflare documents them: `type`, `name`, `content` required on create and
 * replace; `ttl` is 1 (automatic) or 60…86400; `proxied` is a boolean and only for A, AAAA and CNAME; A holds a
 * dotted-quad IPv4 address and AAAA an IPv6 address. Unknown fields are refused (stricter than Cloudflare, so a
 * client sending what it should not is caught).
 */

export const RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT"] as const;
const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);
const FIELDS = new Set(["type", "name", "content", "ttl", "proxied", "comment", "tags", "settings"]);

export interface RecordFields {
  type?: string;
  name?: string;
  content?: string;
  ttl?: number;
  proxied?: boolean;
  comment?: string | null;
  tags?: string[];
}

/** Qualifies a name the way Cloudflare does: `@` is the apex, a relative name gets the zone appended. */
export function qualify(name: string, zone: string): string {
  const n = name.toLowerCase().replace(/\.$/, "");
  if (n === "@" || n === "") return zone;
  return n === zone || n.endsWith(`.${zone}`) ? n : `${n}.${zone}`;
}

/** Checks a body's shape. `extra` names additional allowed fields (e.g. `id` inside a batch). */
export function readFields(body: unknown, extra: string[] = []): { ok: true; fields: RecordFields } | { ok: false; answer: FakeAnswer } {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { ok: false, answer: E.badBody("the body must be a JSON object") };
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!FIELDS.has(key) && !extra.includes(key)) return { ok: false, answer: E.badBody(`unknown field ${JSON.stringify(key)}`) };
  }
  const bad = (field: string, what: string) => ({ ok: false as const, answer: E.validation(`${field} ${what}`) });
  if (b.type !== undefined && typeof b.type !== "string") return bad("type", "must be a string");
  if (b.name !== undefined && (typeof b.name !== "string" || b.name.trim() === "")) return bad("name", "must be a non-empty string");
  if (b.content !== undefined && typeof b.content !== "string") return bad("content", "must be a string");
  if (b.ttl !== undefined && typeof b.ttl !== "number") return bad("ttl", "must be a number");
  if (b.proxied !== undefined && typeof b.proxied !== "boolean") return bad("proxied", "must be a boolean");
  if (b.comment !== undefined && b.comment !== null && typeof b.comment !== "string") return bad("comment", "must be a string");
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== "string"))) return bad("tags", "must be a list of strings");
  return { ok: true, fields: b as RecordFields };
}

/** Checks a complete record (after merging a PATCH into the stored record). */
export function checkRecord(r: Required<Pick<RecordFields, "type" | "name" | "content" | "ttl" | "proxied">>): FakeAnswer | undefined {
  if (!(RECORD_TYPES as readonly string[]).includes(r.type)) return E.validation(`type ${JSON.stringify(r.type)} is not supported by the fake`);
  if (r.type === "A") {
    const p = parseAddress(r.content);
    if (!p || p.family !== 4 || r.content.trim() !== r.content) return E.invalidA();
  }
  if (r.type === "AAAA") {
    const p = parseAddress(r.content);
    if (!p || p.family !== 6 || r.content.trim() !== r.content) return E.invalidAAAA();
  }
  if (r.content === "") return E.validation("content must not be empty");
  if (!Number.isInteger(r.ttl) || (r.ttl !== 1 && (r.ttl < 60 || r.ttl > 86400))) return E.invalidTtl();
  if (r.proxied && !PROXIABLE.has(r.type)) return E.validation(`a ${r.type} record cannot be proxied`);
  return undefined;
}
