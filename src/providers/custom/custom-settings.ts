import * as values from "../../core/values.ts";
import type { FieldIssue } from "../kit/fields.ts";
import type { HttpMethod } from "../kit/http-types.ts";
import { parseTemplate, SAMPLE_VALUES, type Placeholder, type Template } from "./custom-template.ts";

/**
 * The `custom` provider's variables compiled into one request plan (pure), or the first problem as an issue that
 * names its variable — the same function serves `ddnsd check` (the descriptor's refine) and `create`, so nothing
 * that `check` accepted can fail later for a malformed setting.
 */
export interface CustomSettings {
  url: string;
  method: string;
  headers: string | undefined;
  body: string | undefined;
  successStatus: string;
  successRegex: string | undefined;
  zone: string | undefined;
  token: string | undefined;
  key: string | undefined;
}

export interface CustomPlan {
  method: HttpMethod;
  /** The URL's origin (no placeholder may sit there: it decides where credentials go). */
  origin: string;
  /** Path and query after the origin. */
  rest: Template;
  headers: Array<[string, Template]>;
  body: Template | undefined;
  contentType: string | undefined;
  success: { statuses: (status: number) => boolean; regex: RegExp | undefined };
}

export const V = {
  url: "DDNS_CUSTOM_URL",
  method: "DDNS_CUSTOM_METHOD",
  headers: "DDNS_CUSTOM_HEADERS",
  body: "DDNS_CUSTOM_BODY",
  successStatus: "DDNS_CUSTOM_SUCCESS_STATUS",
  successRegex: "DDNS_CUSTOM_SUCCESS_REGEX",
  token: "DDNS_PROVIDER_API_TOKEN",
  key: "DDNS_PROVIDER_API_KEY",
} as const;

/** A body template may span lines (JSON, form data); other control characters are refused. */
export const multiLine = values.fromParser<string>((raw) =>
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(raw) ? { ok: false, reason: "must be text without control characters other than line breaks and tabs" } : { ok: true, value: raw },
);

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
type Result<T> = { ok: true; value: T } | { ok: false; issue: FieldIssue };
const issue = (variable: string, reason: string): { ok: false; issue: FieldIssue } => ({ ok: false, issue: { variable, reason } });

function template(variable: string, source: string, offset = 0): Result<Template> {
  const parsed = parseTemplate(source, offset);
  return parsed.ok ? { ok: true, value: parsed.template } : issue(variable, parsed.reason);
}

function urlPlan(source: string): Result<{ origin: string; rest: Template }> {
  const origin = /^https?:\/\/[^/?#{}]+/i.exec(source)?.[0];
  if (!origin) return issue(V.url, 'must start with http:// or https:// and a host without placeholders (e.g. "https://api.example.net/update?host={name}&ip={ip}")');
  const rest = template(V.url, source.slice(origin.length), origin.length);
  if (!rest.ok) return rest;
  try {
    new URL(origin + rest.value.render(SAMPLE_VALUES, encodeURIComponent));
  } catch {
    return issue(V.url, `is not a valid URL once its placeholders are filled in (got ${JSON.stringify(source)})`);
  }
  return { ok: true, value: { origin, rest: rest.value } };
}

function headersPlan(source: string | undefined): Result<Array<[string, Template]>> {
  if (source === undefined || source.trim() === "") return { ok: true, value: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    return issue(V.headers, 'must be a JSON object of header names and values, e.g. {"Authorization": "Bearer {token}"}');
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return issue(V.headers, 'must be a JSON object of header names and values, e.g. {"Authorization": "Bearer {token}"}');
  const headers: Array<[string, Template]> = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (!HEADER_NAME.test(name)) return issue(V.headers, `has ${JSON.stringify(name)}, which is not a header name`);
    if (typeof value !== "string" || /[\r\n\0]/.test(value)) return issue(V.headers, `gives ${JSON.stringify(name)} a value that is not one line of text`);
    const t = template(V.headers, value);
    if (!t.ok) return t;
    headers.push([name, t.value]);
  }
  return { ok: true, value: headers };
}

/** `2xx`, `200`, `200,204`: which HTTP statuses count as success (redirects never reach the rule). */
function statusRule(source: string): Result<(status: number) => boolean> {
  const items = source.split(",").map((s) => s.trim().toLowerCase());
  const tests: Array<(s: number) => boolean> = [];
  for (const item of items) {
    const exact = /^([1245]\d\d)$/.exec(item);
    const klass = /^([1245])xx$/.exec(item);
    if (exact) tests.push((s) => s === Number(exact[1]));
    else if (klass) tests.push((s) => Math.floor(s / 100) === Number(klass[1]));
    else return issue(V.successStatus, `must be HTTP statuses or classes, comma-separated, e.g. "2xx" or "200,204" (got ${JSON.stringify(source)}; redirects are never success)`);
  }
  return { ok: true, value: (s) => tests.some((t) => t(s)) };
}

function regexRule(source: string | undefined): Result<RegExp | undefined> {
  if (source === undefined || source === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: new RegExp(source) };
  } catch (error) {
    return issue(V.successRegex, `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function compileCustom(s: CustomSettings): Result<CustomPlan> {
  const url = urlPlan(s.url);
  if (!url.ok) return url;
  const headers = headersPlan(s.headers);
  if (!headers.ok) return headers;
  const body = s.body === undefined ? undefined : template(V.body, s.body);
  if (body && !body.ok) return body;
  const statuses = statusRule(s.successStatus);
  if (!statuses.ok) return statuses;
  const regex = regexRule(s.successRegex);
  if (!regex.ok) return regex;
  const method = s.method.toUpperCase() as HttpMethod;
  if (body && method === "GET") return issue(V.body, "is set but DDNS_CUSTOM_METHOD is GET, which sends no body: set DDNS_CUSTOM_METHOD=POST (or PUT, PATCH)");
  const uses = new Set<Placeholder>([...url.value.rest.uses, ...headers.value.flatMap(([, t]) => [...t.uses]), ...(body ? body.value.uses : [])]);
  for (const [slot, variable, value] of [["token", V.token, s.token], ["key", V.key, s.key]] as const) {
    if (uses.has(slot) && value === undefined) return issue(variable, `is required: a template uses {${slot}}`);
    if (!uses.has(slot) && value !== undefined) return issue(variable, `is set but no template uses {${slot}}: put {${slot}} where the service expects it (DDNS_CUSTOM_URL, DDNS_CUSTOM_HEADERS or DDNS_CUSTOM_BODY)`);
  }
  const typed = headers.value.some(([name]) => name.toLowerCase() === "content-type");
  const contentType = body && !typed ? (/^\s*[{[]/.test(s.body ?? "") ? "application/json" : "application/x-www-form-urlencoded") : undefined;
  return {
    ok: true,
    value: { method, origin: url.value.origin, rest: url.value.rest, headers: headers.value, body: body?.value, contentType, success: { statuses: statuses.value, regex: regex.value } },
  };
}
