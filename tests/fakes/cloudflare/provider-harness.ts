import { createMemoryLogger } from "../../../src/log/logger.ts";
import { cloudflare } from "../../../src/providers/cloudflare/descriptor.ts";
import { createCloudflareProvider, type CloudflareTuning } from "../../../src/providers/cloudflare/provider.ts";
import type { DnsProvider, ProviderDeps, RecordRequest, RecordResult, RequestObserver } from "../../../src/providers/kit/types.ts";

/**
 * Builds the Cloudflare provider the way the daemon does — `cloudflare.create(settings, deps)`, the descriptor's
 * own path — pointed at a fake, and keeps what it reported: the `onRequest` outcomes and the log lines. Tests that
 * shrink a production knob (page sizes, the budget, the timeout) build it with that tuning instead.
 */

export const TOKEN = "fake-token-0123456789abcdefghijklmnopqrstu";

export interface Harness {
  provider: DnsProvider;
  outcomes: Array<Parameters<RequestObserver>[0]>;
  lines: string[];
  set(requests: RecordRequest[], options?: { dryRun?: boolean; signal?: AbortSignal }): Promise<RecordResult[]>;
  setOne(request: RecordRequest, options?: { dryRun?: boolean; signal?: AbortSignal }): Promise<RecordResult>;
}

export interface HarnessOptions {
  url: string;
  token?: string;
  tuning?: CloudflareTuning;
  now?: () => number;
}

export function harness(options: HarnessOptions): Harness {
  const outcomes: Harness["outcomes"] = [];
  const log = createMemoryLogger("debug");
  const deps: ProviderDeps = {
    fetch: globalThis.fetch,
    log,
    now: options.now ?? Date.now,
    random: Math.random,
    userAgent: "ddnsd-test",
    onRequest: (o) => outcomes.push(o),
  };
  const settings = { token: options.token ?? TOKEN, apiUrl: options.url };
  const provider = options.tuning ? createCloudflareProvider(settings, deps, options.tuning) : cloudflare.create(settings, deps);
  const set: Harness["set"] = (requests, o = {}) =>
    provider.setRecords(requests, { signal: o.signal ?? AbortSignal.timeout(20_000), dryRun: o.dryRun ?? false });
  return {
    provider,
    outcomes,
    lines: log.lines,
    set,
    async setOne(request, o) {
      const [result] = await set([request], o);
      if (!result) throw new Error("no result");
      return result;
    },
  };
}

/** A loopback port where nothing listens (a server is started and stopped to find one). */
export async function deadPort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: () => new Response("") });
  const port = server.port ?? 1;
  await server.stop(true);
  return port;
}

export const A = (name: string, content: string): RecordRequest => ({ name, type: "A", content });
export const AAAA = (name: string, content: string): RecordRequest => ({ name, type: "AAAA", content });
