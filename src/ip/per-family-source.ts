import type { Family } from "../core/family.ts";
import type { Detection, IpSource } from "./types.ts";

/**
 * One source per family (DDNS_IP_SOURCE_TYPE_V4 / _V6): each family's detection goes to its own source — IPv4 from
 * the http echo behind NAT, IPv6 from the interface, say — and the daemon still sees one source. Its watchers all
 * trigger rounds; `close` closes each. A family without a source (not managed) fails its detection.
 */
export function createPerFamilySource(sources: Partial<Record<Family, IpSource>>): IpSource {
  const distinct = [...new Set(Object.values(sources))];
  const watchers = distinct.filter((s) => s.watch !== undefined);
  const type = ([4, 6] as const)
    .filter((family) => sources[family] !== undefined)
    .map((family) => `${sources[family]!.type} (IPv${family})`)
    .join(", ");
  return {
    type,
    detect: async (family, signal): Promise<Detection> => {
      const source = sources[family];
      if (source) return source.detect(family, signal);
      return { ok: false, family, error: `no IP source is configured for IPv${family}` };
    },
    ...(watchers.length === 0
      ? {}
      : {
          // The first watcher to fail is reported at once; the others keep triggering rounds.
          watch: async (onChange: (reason: string) => void) => {
            await Promise.all(watchers.map((s) => s.watch!(onChange)));
          },
        }),
    close: async () => {
      await Promise.allSettled(distinct.map((s) => s.close?.()));
    },
  };
}
