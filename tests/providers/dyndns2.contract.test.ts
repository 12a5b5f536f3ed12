import { describe, expect, it } from "bun:test";
import type { DynDns2PresetName } from "../../src/providers/dyndns2/services.ts";
import { startFakeDynDns2, unreachableUrl, type StartOptions } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { a, createHarness, liveOptions, uniqueLabel } from "../fakes/dyndns2/provider-harness.ts";
import { providerContract, type ContractPeer } from "./provider-contract.ts";

/**
 * The provider contract against the fake DynDNS2 service, once per protocol flavour: the generic protocol (IPv6
 * in `myip`, one family per request), No-IP (`myipv6`, both families in one request), deSEC (HTTP status errors,
 * a family not sent is deleted unless `preserve` is sent) and OVH (`system=dyndns`, one hostname per request);
 * then No-IP and Dynu as provider ids of their own (`id`), with their own user-name variable.
 */
const flavours: Array<{ label: string; preset?: DynDns2PresetName; id?: "noip" | "dynu"; fake: StartOptions }> = [
  { label: "generic", fake: { ipv6Param: "myip" } },
  { label: "noip preset", preset: "noip", fake: { ipv6Param: "myipv6" } },
  { label: "desec preset", preset: "desec", fake: { ipv6Param: "myipv6", keepValue: "preserve", deleteMissing: true, statusErrors: true, maxHosts: 1 } },
  { label: "dynu preset", preset: "dynu", fake: { ipv6Param: "myipv6", keepValue: "no", maxHosts: 1 } },
  { label: "ovh preset", preset: "ovh", fake: { ipv6Param: "myip", requiredQuery: { system: "dyndns" }, maxHosts: 1 } },
  { label: "noip id", id: "noip", fake: { ipv6Param: "myipv6" } },
  { label: "dynu id", id: "dynu", fake: { ipv6Param: "myipv6", keepValue: "no", maxHosts: 1 } },
];

/** The provider of a flavour, through its descriptor: `dyndns2` with a preset, or the service's own id. */
function dyndns2Of(flavour: { preset?: DynDns2PresetName; id?: string }, password: string, apiUrl: string) {
  const harness = createHarness();
  if (flavour.id) return harness.provider(flavour.id, { DDNS_PROVIDER_API_TOKEN: password, DDNS_PROVIDER_API_URL: apiUrl, [`DDNS_${flavour.id.toUpperCase()}_USERNAME`]: "alice" });
  return harness.provider("dyndns2", { DDNS_PROVIDER_API_TOKEN: password, DDNS_PROVIDER_API_URL: apiUrl, DDNS_DYNDNS2_USERNAME: "alice", DDNS_DYNDNS2_PRESET: flavour.preset });
}

for (const flavour of flavours) {
  providerContract(`dyndns2 (${flavour.label})`, async (): Promise<ContractPeer> => {
    const zone = `${uniqueLabel("z")}.example.net`;
    const names: [string, string] = [`one.${zone}`, `two.${zone}`];
    const fake = startFakeDynDns2({ ...flavour.fake, users: { alice: "right-password" }, hosts: names });
    const make = (password: string, apiUrl: string) => dyndns2Of(flavour, password, apiUrl);
    const nowhere = await unreachableUrl();
    return {
      secrets: ["right-password", "wrong-password"],
      requests: async () => fake.requests.length,
      provider: make("right-password", fake.url),
      badAuthProvider: make("wrong-password", fake.url),
      unreachableProvider: make("right-password", nowhere),
      names,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      close: () => fake.close(),
    };
  });
}

describe("dyndns2 contract peer", () => {
  it("counts real update requests as writes, and nothing else", async () => {
    const fake = startFakeDynDns2({ hosts: ["w.example.net"] });
    try {
      await fetch(`${fake.url}/favicon.ico`);
      expect(fake.writes()).toBe(0);
      await dyndns2Of({}, "s3cret-pass", fake.url).setRecords([a("w.example.net", "203.0.113.1")], liveOptions());
      expect(fake.writes()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
