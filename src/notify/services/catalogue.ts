import type { Endpoints, ParseResult, ServiceDefinition } from "./service-types.ts";
import { generic } from "./generic.ts";
import { ntfy } from "./ntfy.ts";
import { gotify } from "./gotify.ts";
import { discord } from "./discord.ts";
import { slack } from "./slack.ts";
import { telegram } from "./telegram.ts";
import { pushover } from "./pushover.ts";
import { matrix } from "./matrix.ts";
import { smtp } from "./smtp.ts";

/** Every service ddnsd speaks, by shoutrrr scheme. */
export const SERVICES: readonly ServiceDefinition[] = [generic, ntfy, gotify, discord, slack, telegram, pushover, matrix, smtp];

export type ListEntry = { ok: true; position: number; parsed: ParseResult & { ok: true } } | { ok: false; position: number; problem: string };

/**
 * Splits a list of shoutrrr URLs: on newlines, and on commas followed by another `scheme://` (so that `chats=a,b`
 * or `devices=a,b` inside a URL stay whole).
 */
export function splitUrlList(text: string): string[] {
  return text.split(/\n|,(?=\s*[a-z][a-z0-9+.-]*:\/\/)/i).map((s) => s.trim()).filter((s) => s !== "");
}

/** One URL read and checked. Problems never quote the URL (it holds secrets): at most its scheme. */
export function parseServiceUrl(text: string, endpoints: Endpoints = {}): ParseResult {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { ok: false, problem: "is not a URL (expected scheme://…)" };
  const base = scheme.startsWith("generic+") ? "generic" : scheme;
  const service = SERVICES.find((s) => s.scheme === base);
  if (!service) return { ok: false, problem: `uses the unknown service ${JSON.stringify(scheme)} (known: ${SERVICES.map((s) => s.scheme).join(", ")})` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `(${scheme}) is not a well-formed URL; the form is ${service.form}` };
  }
  const parsed = service.parse(url, endpoints);
  return parsed.ok ? parsed : { ok: false, problem: `(${scheme}): ${parsed.problem}; the form is ${service.form}` };
}
