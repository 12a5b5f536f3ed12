import type { RouterClock } from "./deadline.ts";
import type { UdpPeer, UdpSocket } from "./udp-types.ts";

/**
 * One request–answer exchange over UDP with retransmission: the request is sent at once and again after
 * `initialMs`, then after twice that, and so on (RFC 6886 §3.1: 250 ms, doubling), until an acceptable answer comes
 * or `budgetMs` has passed. The RFCs retry for much longer (NAT-PMP up to 64 s, PCP with a 3 s initial timeout);
 * ddnsd caps one exchange at about 2 s, and the whole detection at about 5 s (deadline.ts), so that a router that
 * does not speak a protocol costs little and the daemon stays reactive — the next poll asks again.
 *
 * Only datagrams from `to.address` are looked at; those from anyone else are counted in `ignored`. `accept` decides
 * whether a datagram from the router is the answer (it returns a value) or is not for us (`undefined`). Never throws.
 */
export interface ExchangeOptions<T> {
  socket: UdpSocket;
  to: UdpPeer;
  request: Uint8Array;
  /** More datagrams sent with each (re)transmission, e.g. SSDP's M-SEARCH to the multicast group as well. */
  alsoSend?: ReadonlyArray<{ bytes: Uint8Array; to: UdpPeer }>;
  /** Accept answers from any port of the router (SSDP devices answer from a port of their own). */
  anyPort?: boolean;
  accept: (bytes: Uint8Array) => T | undefined;
  signal: AbortSignal;
  initialMs: number;
  budgetMs: number;
  clock: RouterClock;
  /** Called for each datagram that came from another address than the router's. */
  ignored?: (from: UdpPeer) => void;
}

export type ExchangeResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export function udpExchange<T>(o: ExchangeOptions<T>): Promise<ExchangeResult<T>> {
  return new Promise((resolve) => {
    let done = false;
    let timer: unknown;
    const started = o.clock.now();
    const finish = (result: ExchangeResult<T>) => {
      if (done) return;
      done = true;
      if (timer !== undefined) o.clock.clearTimeout(timer);
      o.signal.removeEventListener("abort", onAbort);
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, reason: "detection was cancelled" });
    o.socket.onMessage((bytes, from) => {
      if (done) return;
      if (from.address !== o.to.address || (!o.anyPort && from.port !== o.to.port)) return o.ignored?.(from);
      const value = o.accept(bytes);
      if (value !== undefined) finish({ ok: true, value });
    });
    // Only a socket connected to the router (not SSDP's, which also sends to the multicast group) hears the router's
    // ICMP refusal; it ends the exchange at once instead of after the whole budget.
    if (!o.anyPort) {
      o.socket.onError((error) => {
        const code = sendError(error);
        finish({ ok: false, reason: code === "ECONNREFUSED" ? "refused: nothing listens there (ICMP port unreachable)" : `the socket failed (${code})` });
      });
    }
    let wait = o.initialMs;
    const attempt = () => {
      if (done) return;
      const left = o.budgetMs - (o.clock.now() - started);
      if (left <= 0) return finish({ ok: false, reason: o.budgetMs > 0 ? `no answer within ${o.budgetMs / 1000}s` : "not asked: the detection's deadline had passed" });
      o.socket.send(o.request, o.to).catch((error: unknown) => finish({ ok: false, reason: `could not send (${sendError(error)})` }));
      // The extra datagrams are a bonus: one that cannot be sent (no multicast route) does not end the exchange.
      for (const extra of o.alsoSend ?? []) o.socket.send(extra.bytes, extra.to).catch(() => {});
      timer = o.clock.setTimeout(attempt, Math.min(wait, left));
      wait *= 2;
    };
    if (o.signal.aborted) return onAbort();
    o.signal.addEventListener("abort", onAbort, { once: true });
    attempt();
  });
}

/** A send error in a few words: the system's code (ENETUNREACH, EHOSTUNREACH…) when there is one. */
export function sendError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /^[A-Z_]{2,32}$/.test(code)) return code;
  return "send failed";
}
