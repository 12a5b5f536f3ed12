import type { Family, FamilyAddress } from "../../core/family.ts";
import type { Detection, IpSource } from "../types.ts";

/**
 * The `push` IP source: addresses arrive through the DynDNS2 update endpoint instead of being detected. `detect`
 * returns the last pushed address per family (nothing pushed yet → a failed detection, and the engine leaves that
 * family's records alone); `push` stores new addresses, asks the daemon for a round through `watch`, and resolves
 * once a round that saw them has ended, so the endpoint can answer from the round's result.
 *
 * After a restart the source starts from the addresses the state store holds (`restore`, see stored-addresses.ts):
 * a router never pushes an address it has already pushed, so without them the records would wait for the next
 * change of address, and /readyz would stay 503 until then.
 *
 * Rounds are matched by generation: every push bumps it, `detect` notes the one it served, and `roundDone` (called
 * by the daemon after each round, see daemon/wire.ts) releases the pushes that round has seen. A push that
 * lands while a round is already past detection waits for the next round, which the trigger has queued.
 */
export interface PushSource extends IpSource {
  readonly type: "push";
  /** The address held for `family`, if any has been pushed. */
  current(family: Family): string | undefined;
  /** Stores addresses, asks for a round, and waits for it: `done`, or `aborted` when `signal` fired (budget spent). */
  push(addresses: FamilyAddress[], signal: AbortSignal): Promise<"done" | "aborted">;
  /** Stores addresses for the next detection and asks for no round (the Worker runs its round itself). */
  hold(addresses: FamilyAddress[]): void;
  /** The daemon calls this after every round. */
  roundDone(): void;
  /**
   * Holds addresses stored before a restart, for the families nothing has been pushed for yet; asks for no round
   * (the first round picks them up).
   */
  restore(addresses: Array<FamilyAddress & { at: number }>): void;
}

export interface PushSourceDeps {
  now: () => number;
}

interface Waiter {
  generation: number;
  resolve: (result: "done" | "aborted") => void;
}

export function createPushSource(deps: PushSourceDeps): PushSource {
  const held = new Map<Family, { address: string; at: number; stored?: true }>();
  let generation = 0;
  let seen = 0;
  let onChange: ((reason: string) => void) | undefined;
  let triggerPending = false;
  let closed = false;
  let closeWatch: (() => void) | undefined;
  const waiters = new Set<Waiter>();

  const store = (addresses: FamilyAddress[]) => {
    for (const { family, address } of addresses) held.set(family, { address, at: deps.now() });
  };

  const trigger = () => {
    if (onChange) onChange("push");
    else triggerPending = true; // the endpoint answered before the daemon started watching: fire on `watch`
  };

  return {
    type: "push",
    async detect(family): Promise<Detection> {
      seen = generation;
      const h = held.get(family);
      if (!h) return { ok: false, family, error: `no IPv${family} address has been pushed to /nic/update yet` };
      const at = new Date(h.at).toISOString();
      return { ok: true, family, address: h.address, source: h.stored ? `push at ${at} (stored before the restart)` : `push at ${at}` };
    },
    watch(callback) {
      onChange = callback;
      if (triggerPending) {
        triggerPending = false;
        callback("push");
      }
      return closed ? Promise.resolve() : new Promise<void>((resolve) => (closeWatch = resolve));
    },
    current: (family) => held.get(family)?.address,
    hold: store,
    push(addresses, signal) {
      store(addresses);
      generation += 1;
      const mine = generation;
      return new Promise((resolve) => {
        if (signal.aborted || closed) return resolve("aborted");
        const waiter: Waiter = {
          generation: mine,
          resolve: (result) => {
            waiters.delete(waiter);
            signal.removeEventListener("abort", abort);
            resolve(result);
          },
        };
        const abort = () => waiter.resolve("aborted");
        signal.addEventListener("abort", abort, { once: true });
        waiters.add(waiter);
        trigger();
      });
    },
    restore(addresses) {
      for (const { family, address, at } of addresses) if (!held.has(family)) held.set(family, { address, at, stored: true });
    },
    roundDone() {
      for (const w of [...waiters]) if (w.generation <= seen) w.resolve("done");
    },
    async close() {
      closed = true;
      for (const w of [...waiters]) w.resolve("aborted");
      closeWatch?.();
    },
  };
}

export const isPushSource = (source: IpSource): source is PushSource => source.type === "push" && "push" in source;
