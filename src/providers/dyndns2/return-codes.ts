import type { FailureKind } from "../kit/types.ts";

/**
 * The DynDNS2 return codes (Dyn "Return Codes", No-IP "Interpret Response") and what ddnsd does with each.
 * `scope` says what a code is about: one hostname (one line per hostname, in request order), the account, or the
 * service itself — account and system codes are "given only once", for the whole request.
 * `fatal` codes must stop the client until the operator corrects something (Dyn: "any failed update attempt should
 * cause the client to be disabled until the situation is corrected").
 */
export type CodeScope = "host" | "account" | "system";

export interface CodeRule {
  kind: FailureKind;
  scope: CodeScope;
  fatal: boolean;
  /** What the code means, as the end of "… answered "x": <explain>." */
  explain: string;
  /**
   * What the operator should do next (empty when nothing: the pause is the engine's to state). `{username}` and
   * `{service}` stand for the provider's own variables (DDNS_DYNDNS2_USERNAME / DDNS_NOIP_USERNAME…, and
   * DDNS_DYNDNS2_PRESET or DDNS_PROVIDER_TYPE).
   */
  advice: string;
}

export const SUCCESS_CODES = new Set(["good", "nochg"]);

export const FAILURE_CODES: Readonly<Record<string, CodeRule>> = {
  badauth: {
    kind: "auth", scope: "account", fatal: true,
    explain: "the user name and password were refused",
    advice: "Check {username} and DDNS_PROVIDER_API_TOKEN.",
  },
  "!donator": {
    kind: "config", scope: "account", fatal: true,
    explain: "the update asked for a feature this account does not have",
    advice: "Check the account's plan with the service.",
  },
  badagent: {
    kind: "config", scope: "account", fatal: true,
    explain: "the service refused ddnsd's user agent or request method",
    advice: "Report this at https://github.com/ddnsd/ddnsd/issues.",
  },
  badsys: {
    kind: "config", scope: "account", fatal: true,
    explain: "the service refused the system parameter",
    advice: "Check {service} and DDNS_PROVIDER_API_URL.",
  },
  notfqdn: {
    kind: "config", scope: "host", fatal: true,
    explain: "the service does not accept the name as a fully-qualified domain name",
    advice: "Check the name in DDNS_RECORDS.",
  },
  nohost: {
    kind: "config", scope: "host", fatal: true,
    explain: "the hostname does not exist in this account",
    advice: "Create it at the service, or correct DDNS_RECORDS or {username}.",
  },
  numhost: {
    kind: "config", scope: "host", fatal: true,
    explain: "too many hostnames in one update, or the name is a round-robin record",
    advice: "Remove round-robin names from DDNS_RECORDS or ask the service.",
  },
  abuse: {
    kind: "auth", scope: "host", fatal: true,
    explain: "the hostname is blocked for update abuse",
    advice: "Unblock it in the service's control panel.",
  },
  "!yours": {
    kind: "auth", scope: "host", fatal: true,
    explain: "the hostname belongs to another account",
    advice: "Check DDNS_RECORDS and {username}.",
  },
  dnserr: {
    kind: "transient", scope: "system", fatal: false,
    explain: "the service reported a DNS error on its side",
    advice: "",
  },
  "911": {
    kind: "transient", scope: "system", fatal: false,
    explain: "the service reported an outage or maintenance on its side",
    advice: "",
  },
};

/** Dyn and No-IP: after `911` or `dnserr` (the `system` codes), send nothing for 30 minutes. */
export const SYSTEM_BACKOFF_MS = 30 * 60_000;

/** One answer line: the code (lower case) and the addresses that follow it (`good 192.0.2.1,2001:db8::1`). */
export interface AnswerLine {
  text: string;
  code: string;
  addresses: string[];
}

/** Splits a response body into answer lines. Returns `undefined` when any line is not a known code (HTML, junk). */
export function parseAnswerLines(body: string): AnswerLine[] | undefined {
  const lines = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  if (lines.length === 0) return undefined;
  const parsed: AnswerLine[] = [];
  for (const text of lines) {
    const [first = "", ...rest] = text.split(/\s+/);
    const code = first.toLowerCase();
    if (!SUCCESS_CODES.has(code) && !Object.hasOwn(FAILURE_CODES, code)) return undefined;
    const addresses = rest.join(" ").split(/[\s,]+/).filter((a) => a !== "");
    parsed.push({ text, code, addresses });
  }
  return parsed;
}
