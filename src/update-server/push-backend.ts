import type { Hono } from "hono";
import type { UpdateServerConfig } from "./types.ts";
import type { StatusBoard } from "../engine/status-board.ts";
import { fromHeader, fromSocketPeer } from "./client-address.ts";
import { createUpdateApp } from "./update-app.ts";
import { createLoginGuard, requestLogin, type RequestLogin } from "./login-guard.ts";
import type { Logger } from "../log/logger.ts";
import type { PushSource } from "../ip/push/push-source.ts";
import type { Family, FamilyAddress } from "../core/family.ts";
import { contentOf, type ManagedRecord } from "../engine/desired.ts";
import type { PendingRetry } from "../engine/record-outcome.ts";
import { combineOutcomes, type HostUpdate, type RecordOutcome, type UpdateBackend } from "./types.ts";
import { createHostRecords, retryAfterOf } from "./host-records.ts";

/**
 * The update endpoint's backend in the daemon: pushed addresses go through the `push` IP source into the same
 * engine, state store and providers as detected ones. Like every IP source, the push source holds one address per
 * family for the whole daemon, so a push for any configured host sets the address of every record of every target;
 * the answer lines speak for the hosts the request named, each over all its records (a name may be held by
 * several targets).
 *
 * `good` or `nochg` is decided against the last confirmed content of each record (the status board, which also
 * holds what the state store had at startup):
 * - already confirmed and held by the source → `nochg` at once, no round;
 * - otherwise the push triggers a round and the answer waits for it: each record now confirmed at the pushed
 *   address is `changed` (→ `good`) unless it was confirmed at that address before the push (→ `nochg`);
 *   a record still not confirmed (provider failure, backoff, budget spent, dry run) → `911`, with Retry-After
 *   while the engine's backoff holds it.
 */
export interface PushBackendDeps {
  source: PushSource;
  status: Pick<StatusBoard, "getRecord">;
  records: readonly ManagedRecord[];
  families: readonly Family[];
  /** DDNS_ALLOW_PRIVATE_ADDRESSES, for addresses derived with a record's ipv6_suffix. */
  allowPrivate: boolean;
  /** The engine's view of a failing record (its last failure, its retry time). */
  pending?: (record: ManagedRecord) => PendingRetry | undefined;
  now?: () => number;
}

export function createPushBackend(deps: PushBackendDeps): UpdateBackend {
  const hosts = createHostRecords(deps.records);
  const now = deps.now ?? Date.now;
  const holds = (record: ManagedRecord, a: FamilyAddress) => {
    // Compared with the record's own content: the pushed address, or its prefix + the record's ipv6_suffix.
    const content = contentOf(record, a, deps);
    return content !== undefined && deps.status.getRecord(record)?.content === content;
  };
  const isConfirmed = (record: ManagedRecord, a: FamilyAddress) => deps.status.getRecord(record)?.state === "ok" && holds(record, a);

  return {
    families: deps.families,
    allows: (host) => hosts.names.has(host),
    // A push sets the address of every record, whichever host it names: one rate limit for all of them.
    rateLimitKey: () => "every record",
    confirmed: (update) =>
      update.addresses.every((a) => deps.source.current(a.family) === a.address && hosts.of(update.host, a.family).every((r) => isConfirmed(r, a))),
    async apply(updates, signal) {
      // One address per family for the whole daemon: the updates of one request carry the same addresses.
      const byFamily = new Map<Family, FamilyAddress>();
      for (const u of updates) for (const a of u.addresses) byFamily.set(a.family, a);
      const before = updates.map((u) => hosts.withAddresses(u.host, u.addresses).map(({ record, address }) => holds(record, address)));
      await deps.source.push([...byFamily.values()], signal);
      return updates.map((u: HostUpdate, i) =>
        combineOutcomes(
          hosts.withAddresses(u.host, u.addresses).map(({ record, address }, j): RecordOutcome => {
            if (!isConfirmed(record, address)) return "transient";
            return before[i]![j] ? "unchanged" : "changed";
          }),
        ),
      );
    },
    retryAfterMs: (host) => retryAfterOf(hosts.all(host).map((r) => deps.pending?.(r)), now()),
  };
}

/**
 * The daemon's update endpoint: the shared DynDNS2 sub-app (src/update-server/) over the push source and the engine's
 * status board. The caller's address is the socket peer unless DDNS_UPDATE_CLIENT_IP_HEADER names the header
 * of a trusted reverse proxy. main.ts mounts `app` into the daemon's HTTP app and hands it `login`: in push mode
 * the listener faces the routers, so the status answers need the same credentials, through the same lockout.
 */
export interface PushEndpointDeps {
  /** The records the endpoint may update (every target's), the families it publishes, and the address rule. */
  config: { records: readonly ManagedRecord[]; ipVersions: readonly Family[]; allowPrivate: boolean };
  edge: UpdateServerConfig;
  source: PushSource;
  status: Pick<StatusBoard, "getRecord">;
  /** The engine's view of a failing record, for the answers' Retry-After. */
  pending?: (record: ManagedRecord) => PendingRetry | undefined;
  log: Logger;
  now: () => number;
  budgetMs?: number;
}

export interface PushEndpoint {
  app: Hono;
  /** The endpoint's login (one lockout per client), for the daemon's other answers. */
  login: RequestLogin;
}

export function createPushEndpoint(deps: PushEndpointDeps): PushEndpoint {
  const backend = createPushBackend({
    source: deps.source,
    status: deps.status,
    records: deps.config.records,
    families: deps.config.ipVersions,
    allowPrivate: deps.config.allowPrivate,
    ...(deps.pending ? { pending: deps.pending } : {}),
    now: deps.now,
  });
  const clientAddress = deps.edge.clientIpHeader ? fromHeader(deps.edge.clientIpHeader) : fromSocketPeer;
  const guard = createLoginGuard({ settings: deps.edge, log: deps.log, now: deps.now });
  const app = createUpdateApp({
    settings: deps.edge,
    backend,
    allowPrivate: deps.config.allowPrivate,
    clientAddress,
    log: deps.log,
    now: deps.now,
    guard,
    ...(deps.budgetMs === undefined ? {} : { budgetMs: deps.budgetMs }),
  });
  return { app, login: requestLogin(guard, clientAddress) };
}
