import { REDACTED } from "../../log/redact.ts";
import type { CallResult } from "./service-types.ts";

/**
 * Reading shoutrrr URLs the way shoutrrr does: query keys are case-insensitive, booleans are yes/no/true/false/1/0,
 * and a key the service does not know is an error (shoutrrr's "not a valid config key").
 */

export type Options = Map<string, string>;

/** The query as lower-cased keys; the first value of a repeated key wins (Go's `vals[0]`). */
export function queryOptions(url: URL): Options {
  const out: Options = new Map();
  for (const [key, value] of url.searchParams) if (!out.has(key.toLowerCase())) out.set(key.toLowerCase(), value);
  return out;
}

/** The first key not in `known`, if any. */
export function unknownKey(options: Options, known: readonly string[]): string | undefined {
  return [...options.keys()].find((k) => !known.includes(k));
}

export function parseBool(value: string | undefined, fallback: boolean): boolean | undefined {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (["yes", "true", "1", "on"].includes(v)) return true;
  if (["no", "false", "0", "off"].includes(v)) return false;
  return undefined;
}

export const decode = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** The service and its host; the path, user info and query (where secrets live) only as markers. */
export function displayOf(url: URL, scheme = url.protocol.replace(/:$/, "")): string {
  const auth = url.username !== "" || url.password !== "" ? `${REDACTED}@` : "";
  const path = url.pathname.replace(/^\/+/, "") !== "" ? `/${REDACTED}` : "";
  return `${scheme}://${auth}${url.host}${path}${url.search === "" ? "" : "?…"}`;
}

/** Values in a URL that could be secrets: user info, path segments and query values of some length. */
export function secretsOf(url: URL): string[] {
  const parts = [decode(url.username), decode(url.password), ...url.pathname.split("/").map(decode), ...url.searchParams.values()];
  return parts.filter((p) => p.length >= 6);
}

/** `Authorization: Basic …` of UTF-8 user and password (fetch refuses URLs with credentials). */
export function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** A JSON answer, or undefined. */
export function jsonOf(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `steps` in order; the first failure ends it. */
export async function inOrder(steps: Array<() => Promise<CallResult>>): Promise<CallResult> {
  let last: CallResult = { ok: true, status: 200, text: "" };
  for (const step of steps) {
    last = await step();
    if (!last.ok) return last;
  }
  return last;
}
