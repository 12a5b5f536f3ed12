import type { Logger } from "../../log/logger.ts";
import { createChoiceTracker, notifyChanges } from "../choice-tracker.ts";
import type { Family } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";
import { createKernelMirror } from "./mirror.ts";
import { parseMessages } from "./parse.ts";
import type { DumpCause, NetlinkRuntime, NetlinkStream, StreamSink } from "./runtime-types.ts";

/**
 * `DDNS_IP_SOURCE_TYPE=netlink`: the interface's addresses as the kernel reports them. A runtime adapter streams
 * raw rtnetlink messages (initial dump, events, dumps after overflow and every `resyncIntervalMs`); this file parses
 * them into a mirror and answers `detect` from it. `onChange` fires as soon as a batch of events changes the address
 * the choice rule would publish — no timer: DAD's "tentative" event changes nothing, its "valid" event does.
 */

export interface NetlinkSourceDeps {
  interfaceName: string;
  allowPrivate: boolean;
  log: Logger;
  runtime: NetlinkRuntime;
  /** Milliseconds, monotonic or wall clock: lifetimes count down with it. */
  now: () => number;
  /** Families whose changes call `onChange` (DDNS_IP_VERSIONS). Default both. */
  families?: readonly Family[];
  /** Full re-dump period as a safety net (DDNS_POLL_INTERVAL). Default 5 minutes. */
  resyncIntervalMs?: number;
  /** How long `detect` waits for the first dump. Default 5 s. */
  startTimeoutMs?: number;
  /** SO_RCVBUF of the event socket; tests shrink it to force ENOBUFS. */
  receiveBufferBytes?: number;
}

export interface NetlinkSource extends IpSource {
  /** Every address the mirror holds for the interface (all ranges and flags), for diagnostics and tests. */
  addresses(family: Family): Array<{ address: string; prefixLen: number; flags: number }>;
}

export function createNetlinkSource(deps: NetlinkSourceDeps): NetlinkSource {
  const { interfaceName: ifname, log } = deps;
  const families = deps.families ?? [4, 6];
  const mirror = createKernelMirror();
  let stream: NetlinkStream | undefined;
  let fresh = false; // a dump from the current stream has been applied
  let fatal: string | undefined;
  let closed = false;
  let listener: ((reason: string) => void) | undefined;
  let waiters: Array<() => void> = [];
  const tracker = createChoiceTracker({
    interfaceName: ifname,
    allowPrivate: deps.allowPrivate,
    families,
    candidates: (family) => (mirror.indexOf(ifname) === undefined ? undefined : mirror.candidates(ifname, family, deps.now())),
    label: `netlink:${ifname}`,
    log,
  });

  const wake = () => {
    const current = waiters;
    waiters = [];
    for (const w of current) w();
  };

  const parse = (messages: Uint8Array) => {
    const parsed = parseMessages(messages);
    for (const problem of parsed.errors) log.warn("Ignored a malformed netlink message", { problem });
    return parsed.events;
  };

  const sink: StreamSink = {
    events(messages) {
      mirror.apply(parse(messages), deps.now());
      if (fresh) notifyChanges(listener, tracker.changes(), log);
    },
    dump(messages, cause: DumpCause) {
      const firstLoad = !mirror.loaded;
      mirror.replace(parse(messages), deps.now());
      fresh = true;
      wake();
      const changes = tracker.changes();
      if (cause === "periodic" && changes.length > 0) log.warn("The periodic netlink re-check found a change no event reported", { change: changes.join("; ") });
      if (!firstLoad) notifyChanges(listener, changes, log);
    },
    overflow() {
      log.info("Netlink events were dropped (receive buffer overflow); reloading the address list", { interface: ifname });
    },
    error(message, isFatal) {
      if (!isFatal) return log.warn(message, { interface: ifname });
      log.error(`The netlink watcher stopped: ${message}`, { interface: ifname });
      fatal = message;
      fresh = false;
      stream = undefined;
      wake();
    },
  };

  const ensureStarted = () => {
    if (stream || closed) return;
    if (fatal !== undefined) log.info("Restarting the netlink watcher", { interface: ifname });
    fatal = undefined;
    stream = deps.runtime.open(
      { resyncMs: deps.resyncIntervalMs ?? 300_000, dumpDeadlineMs: 2000, ...(deps.receiveBufferBytes ? { receiveBufferBytes: deps.receiveBufferBytes } : {}) },
      sink,
    );
  };

  const ready = (signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (fresh || fatal !== undefined || signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        waiters = waiters.filter((w) => w !== done);
        resolve();
      };
      const timer = setTimeout(done, deps.startTimeoutMs ?? 5000);
      waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });

  return {
    type: "netlink",
    async detect(family, signal): Promise<Detection> {
      if (closed) return { ok: false, family, error: "the netlink source is closed" };
      ensureStarted();
      await ready(signal);
      if (!fresh) {
        const why = fatal ?? (signal.aborted ? "detection was cancelled" : "the kernel's address list has not loaded yet");
        return { ok: false, family, error: `netlink: ${why}` };
      }
      return tracker.detect(family);
    },
    async watch(onChange) {
      listener = onChange;
      ensureStarted();
      await ready();
    },
    addresses(family) {
      return mirror.addresses(ifname, family).map(({ address, prefixLen, flags }) => ({ address, prefixLen, flags }));
    },
    async close() {
      closed = true;
      listener = undefined;
      const s = stream;
      stream = undefined;
      await s?.close();
    },
  };
}
