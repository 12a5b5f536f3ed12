import { fail, ok } from "../kit/answer.ts";
import { createRateLimiter } from "../kit/rate-limiter.ts";
import { createRecordProvider } from "../kit/record-provider.ts";
import { createRestApi } from "../kit/rest-api.ts";
import type { DnsProvider, ProviderDeps } from "../kit/types.ts";
import { createZoneFinder } from "../kit/zone-finder.ts";
import { verdict, type Envelope } from "./envelope.ts";
import { explainCloudflare } from "./errors.ts";
import { createCloudflareRecords, type CfCall, type CfZone } from "./records.ts";
import { createCloudflareZones } from "./zones.ts";

/**
 * The Cloudflare provider: the kit's record template over Cloudflare's v4 API — Bearer token, the answer
 * envelope read on every answer, Cloudflare's error codes, its batch endpoint, and a client-side budget of the
 * 1200 requests per 5 minutes Cloudflare allows a user (all its tokens and the dashboard together).
 */

export const DEFAULT_API_URL = "https://api.cloudflare.com/client/v4";

export interface CloudflareSettings {
  token: string;
  apiUrl: string;
}

/** Knobs with production defaults; tests shrink them. */
export interface CloudflareTuning {
  timeoutMs?: number;
  /** Zones, reads and single writes in flight at once. */
  concurrency?: number;
  /** Operations per batch request (200: the Free plan's limit). */
  batchLimit?: number;
  /** `per_page` of exact-name listings. */
  perPage?: number;
  /** `per_page` of zone-wide listings (each page must fit in `maxBytes`: 1000 records are about 0.5 MiB). */
  bulkPerPage?: number;
  maxBytes?: number;
  /** The client-side budget (Cloudflare's documented limit). */
  rateLimit?: { limit: number; windowMs: number };
  /** Longest the budget waits in line before answering `rate-limited` instead. */
  maxQueueWaitMs?: number;
  /** How long to avoid the batch endpoint after it was refused. */
  batchRetryMs?: number;
  /** From this many unknown names, list the zones once; from this many reads of one type in a zone, list the
   *  zone's records of that type once. Below it, one request per name, as the API intends. */
  bulkThreshold?: number;
}

const DEFAULTS: Required<CloudflareTuning> = {
  timeoutMs: 10_000,
  concurrency: 4,
  batchLimit: 200,
  perPage: 100,
  bulkPerPage: 1000,
  maxBytes: 2 * 1024 * 1024,
  rateLimit: { limit: 1200, windowMs: 5 * 60_000 },
  maxQueueWaitMs: 5_000,
  batchRetryMs: 60 * 60_000,
  bulkThreshold: 10,
};

/** Cloudflare's tokens are visible ASCII; anything else cannot be put in a header (a pasted newline, a space). */
const SENDABLE_TOKEN = /^[\x21-\x7e]+$/;
const BAD_TOKEN = {
  kind: "auth" as const,
  reason: "the API token contains spaces, line breaks or other characters an HTTP header cannot carry; check DDNS_PROVIDER_API_TOKEN (or the file named by DDNS_PROVIDER_API_TOKEN_FILE)",
};

export function createCloudflareProvider(settings: CloudflareSettings, deps: ProviderDeps, tuning: CloudflareTuning = {}): DnsProvider {
  const t = { ...DEFAULTS, ...tuning };
  const rest = createRestApi(deps, {
    service: "Cloudflare",
    baseUrl: settings.apiUrl,
    headers: { Authorization: `Bearer ${settings.token}` },
    secrets: [settings.token],
    timeoutMs: t.timeoutMs,
    maxBytes: t.maxBytes,
    limiter: createRateLimiter({ ...t.rateLimit, maxWaitMs: t.maxQueueWaitMs, now: deps.now }),
    verdict,
    explain: explainCloudflare,
  });
  const call: CfCall = async (method, path, init) => {
    if (!SENDABLE_TOKEN.test(settings.token)) return fail(BAD_TOKEN);
    const answer = await rest.call<Envelope>(method, path, init);
    // The verdict let only envelopes through.
    return answer.ok ? ok(answer.value as Envelope) : answer;
  };
  const zones = createCloudflareZones(call);
  return createRecordProvider<CfZone>(
    {
      service: "Cloudflare",
      zones: createZoneFinder<CfZone>({ lookup: zones.lookup, list: zones.list, now: deps.now, listThreshold: t.bulkThreshold }),
      zoneFix: 'add the domain to this Cloudflare account, or give the API token the "Zone:Read" permission for it',
      ...createCloudflareRecords(call, { perPage: t.perPage, bulkPerPage: t.bulkPerPage, batchLimit: t.batchLimit }),
    },
    { id: "cloudflare", now: deps.now, concurrency: t.concurrency, bulkThreshold: t.bulkThreshold, batchRetryMs: t.batchRetryMs, log: deps.log },
  );
}
