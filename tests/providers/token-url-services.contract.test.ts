import { createHarness, uniqueLabel } from "../fakes/dyndns2/provider-harness.ts";
import { unreachableUrl } from "../fakes/dyndns2/fake-dyndns2-server.ts";
import { startFakeTokenUrl } from "../fakes/token-url/fake-token-url-server.ts";
import { dd24Service, ddnssService, goipService, zoneEditService, type TokenService } from "../fakes/token-url/token-services.ts";
import { providerContract, type ContractPeer } from "./provider-contract.ts";

/**
 * The provider contract for the token-URL services (ddnss, GoIP, DD24, ZoneEdit, myaddr), each against the fake
 * written from its sources (tests/fakes/token-url/token-services.ts). IPv4-only services prove that an AAAA
 * request is a config failure. myaddr is not here: its key names one host, and the contract needs two names; its
 * requests and answers are proven black-box (tests/blackbox/token-url-services.test.ts).
 */
const RIGHT = "right-secret-value";
const WRONG = "wrong-secret-value";

interface Flavour {
  id: string;
  ipv6: boolean;
  variables: Record<string, string>;
  service(names: [string, string]): TokenService;
}

const flavours: Flavour[] = [
  { id: "ddnss", ipv6: true, variables: {}, service: (names) => ddnssService(RIGHT, names) },
  { id: "goip", ipv6: true, variables: { DDNS_GOIP_USERNAME: "alice" }, service: (names) => goipService("alice", RIGHT, names) },
  { id: "dd24", ipv6: false, variables: {}, service: (names) => dd24Service(Object.fromEntries(names.map((n) => [n, RIGHT]))) },
  { id: "zoneedit", ipv6: false, variables: { DDNS_ZONEEDIT_USERNAME: "alice" }, service: (names) => zoneEditService("alice", RIGHT, names) },
];

for (const flavour of flavours) {
  providerContract(`${flavour.id} (token URL)`, async (): Promise<ContractPeer> => {
    const zone = `${uniqueLabel("z")}.example.net`;
    const names: [string, string] = [`one.${zone}`, `two.${zone}`];
    const fake = startFakeTokenUrl(flavour.service(names));
    const harness = createHarness();
    const make = (secret: string, apiUrl: string) => harness.provider(flavour.id, { ...flavour.variables, DDNS_PROVIDER_API_TOKEN: secret, DDNS_PROVIDER_API_URL: apiUrl });
    const nowhere = await unreachableUrl();
    return {
      secrets: [RIGHT, WRONG],
      ipv6: flavour.ipv6,
      requests: async () => fake.requests.length,
      provider: make(RIGHT, fake.url),
      badAuthProvider: make(WRONG, fake.url),
      unreachableProvider: make(RIGHT, nowhere),
      names,
      read: async (name, type) => fake.read(name, type),
      writes: async () => fake.writes(),
      close: () => fake.close(),
    };
  });
}
