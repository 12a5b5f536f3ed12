import type { Problem } from "../kit/answer.ts";
import type { HttpFailure } from "../kit/http-types.ts";
import type { ServiceReading } from "../kit/rest-api.ts";
import { allCodes, describeCodes, errorsOf, isEnvelope } from "./envelope.ts";

/**
 * Cloudflare's error codes as the operator reads them (the kit's `explain` hook): the failure kind, a reason that
 * says what went wrong (Cloudflare's own words quoted) and what to do, and the tag the record template acts on —
 * `stale-record` (81044, a 404 without a code), `stale-zone` (7003, 1003), `conflict` (81057, 81058),
 * `batch-refused` (404/405/501 or "no route" on `/batch`: an API-compatible service without it). An unknown code
 * is sorted by the kit by its status, quoted as Cloudflare's account of the answer; transport failures, HTML pages
 * and oversized answers keep the kit's words. Codes from Cloudflare's API documentation and the answers operators
 * report.
 */

const TOKEN_FIX = 'give the API token the permissions "Zone:Read" and "DNS:Edit" for this zone';

function fromCodes(codes: number[], status: number, said: string): ServiceReading | undefined {
  const has = (...c: number[]) => c.some((x) => codes.includes(x));
  if (has(9109)) {
    return { kind: "auth", reason: `Cloudflare refused the API token (${said}); check DDNS_PROVIDER_API_TOKEN: the token may be mistyped, expired, revoked or limited to other client addresses` };
  }
  if (has(9106)) return { kind: "auth", reason: `Cloudflare received no API token (${said}); set DDNS_PROVIDER_API_TOKEN or DDNS_PROVIDER_API_TOKEN_FILE` };
  if (has(6003, 6100, 6101, 6102, 6103, 6111)) {
    return { kind: "auth", reason: `Cloudflare could not read the API token (${said}); check DDNS_PROVIDER_API_TOKEN for stray characters, and use an API token, not the Global API Key` };
  }
  if (has(1000, 1001)) return { kind: "auth", reason: `Cloudflare rejected the API token (${said}); create a user API token and ${TOKEN_FIX}` };
  if (has(971) || status === 429) {
    return { kind: "rate-limited", reason: `Cloudflare is rate-limiting requests (${said}); every client of this Cloudflare user shares 1200 requests per 5 minutes` };
  }
  if (has(10000)) return { kind: "auth", reason: `Cloudflare refused the request (${said}); ${TOKEN_FIX}` };
  if (has(81053, 81054, 81055)) {
    return { kind: "config", reason: `Cloudflare refused because a CNAME record holds this name (${said}); delete the CNAME record or remove the name from DDNS_RECORDS` };
  }
  if (has(81057, 81058)) {
    return { kind: "transient", tag: "conflict", reason: `Cloudflare reports that the record already exists (${said}); someone else probably created it at the same moment (it is read back before the next write)` };
  }
  if (has(81044) || (status === 404 && codes.length === 0)) {
    return { kind: "transient", tag: "stale-record", reason: `the record no longer exists at Cloudflare (${said}); it was probably deleted by hand (the records are read again before the next write)` };
  }
  if (has(7000, 7003, 1003)) {
    const explained: ServiceReading = { kind: "transient", reason: `Cloudflare does not know the zone or record (${said}); the zone may have been removed or added again (it is looked up again before the next write); if this persists, check DDNS_PROVIDER_API_URL` };
    if (has(7003, 1003)) explained.tag = "stale-zone";
    return explained;
  }
  if (has(9021) || /\bttl\b/i.test(said)) return { kind: "config", reason: `Cloudflare refused the record's TTL (${said}); set DDNS_RECORD_TTL to auto or to a number of seconds Cloudflare accepts (60 to 86400)` };
  if (has(9041)) return { kind: "config", reason: `Cloudflare cannot proxy this record (${said}); set DDNS_RECORD_PROXIED=false` };
  if (has(9005, 9006)) return { kind: "config", reason: `Cloudflare refused the address (${said}); if the address is a valid public address, please report this as a ddnsd bug` };
  if (has(1004)) return { kind: "config", reason: `Cloudflare refused the record as invalid (${said}); check the record name and DDNS_RECORD_TTL / DDNS_RECORD_PROXIED` };
  return undefined;
}

/** The batch endpoint is not offered here (an API-compatible service, or an older API). */
const batchRefused = (f: HttpFailure, codes: number[]) =>
  /\/dns_records\/batch$/.test(f.url) && ([404, 405, 501].includes(f.status ?? 0) || codes.includes(7000) || codes.includes(7003));

/** An answer that is not Cloudflare's envelope, or an envelope without the result it must carry. */
export const notCloudflareAnswer = (status: number): Problem => ({
  kind: "transient",
  reason: `Cloudflare answered HTTP ${status} with something that is not a JSON API answer; if this persists, check DDNS_PROVIDER_API_URL`,
});

export function explainCloudflare(f: HttpFailure): ServiceReading | undefined {
  const status = f.status ?? 0;
  if (f.reason === "invalid-json") return notCloudflareAnswer(status);
  if (f.reason !== "http") return undefined;
  const envelope = isEnvelope(f.json) ? f.json : undefined;
  // Some other body (a proxy's text, foreign JSON): the kit quotes it.
  if (!envelope && (f.body ?? "").trim() !== "") return undefined;
  const errors = errorsOf(envelope?.errors);
  const codes = allCodes(errors);
  const said = errors.length ? `HTTP ${status}, ${describeCodes(errors)}` : `HTTP ${status}`;
  const explained = fromCodes(codes, status, said) ?? { account: errors.length ? describeCodes(errors) : "" };
  if (batchRefused(f, codes)) explained.tag = "batch-refused";
  // `success: false` is Cloudflare's definite no, whatever the status: nothing was written.
  if (envelope && !envelope.success) explained.mayHaveArrived = false;
  return explained;
}
