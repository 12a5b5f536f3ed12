import type { ProviderDescriptor } from "./kit/descriptor.ts";
import { createCatalogue, type Catalogue } from "./kit/catalogue.ts";
import { azure } from "./azure/descriptor.ts";
import { cloudflare } from "./cloudflare/descriptor.ts";
import { custom } from "./custom/descriptor.ts";
import { digitalocean } from "./digitalocean/descriptor.ts";
import { dnsimple } from "./dnsimple/descriptor.ts";
import { duckdns } from "./duckdns/descriptor.ts";
import { hetzner } from "./hetzner/descriptor.ts";
import { desec } from "./desec/descriptor.ts";
import { gandi } from "./gandi/descriptor.ts";
import { luadns } from "./luadns/descriptor.ts";
import { hostinger } from "./hostinger/descriptor.ts";
import { cloudns } from "./cloudns/descriptor.ts";
import { njalla } from "./njalla/descriptor.ts";
import { domeneshop } from "./domeneshop/descriptor.ts";
import { dreamhost } from "./dreamhost/descriptor.ts";
import { namesilo } from "./namesilo/descriptor.ts";
import { easydns } from "./easydns/descriptor.ts";
import { infomaniak } from "./infomaniak/descriptor.ts";
import { loopia } from "./loopia/descriptor.ts";
import { transip } from "./transip/descriptor.ts";
import { scaleway } from "./scaleway/descriptor.ts";
import { ionos } from "./ionos/descriptor.ts";
import { spaceship } from "./spaceship/descriptor.ts";
import { ns1 } from "./ns1/descriptor.ts";
import { gcore } from "./gcore/descriptor.ts";
import { bunny } from "./bunny/descriptor.ts";
import { dd24 } from "./dd24/descriptor.ts";
import { ddnss } from "./ddnss/descriptor.ts";
import { goip } from "./goip/descriptor.ts";
import { myaddr } from "./myaddr/descriptor.ts";
import { zoneedit } from "./zoneedit/descriptor.ts";
import { changeip, dnsomatic, dyn, dyndns2, dynu, dynv6, gigahost, he, inwx, ipv64, noip, nowdns, selfhost, spdyn, strato, variomedia } from "./dyndns2/descriptor.ts";
import { freedns } from "./freedns/descriptor.ts";
import { namecheap } from "./namecheap/descriptor.ts";
import { godaddy } from "./godaddy/descriptor.ts";
import { linode } from "./linode/descriptor.ts";
import { porkbun } from "./porkbun/descriptor.ts";
import { powerdns } from "./powerdns/descriptor.ts";
import { rfc2136 } from "./rfc2136/descriptor.ts";
import { vultr } from "./vultr/descriptor.ts";
import { gcp } from "./gcp/descriptor.ts";
import { route53 } from "./route53/descriptor.ts";
import { ovh } from "./ovh/descriptor.ts";
import { dnspod } from "./dnspod/descriptor.ts";
import { aliyun } from "./aliyun/descriptor.ts";
import { huaweicloud } from "./huaweicloud/descriptor.ts";
import { netcup } from "./netcup/descriptor.ts";

/**
 * Every provider ddnsd speaks, one line each. config/ walks this list (it knows no provider by name); `ddnsd
 * providers`, `check`, `--help` and the README's table come from the same descriptors. Adding a provider is adding
 * its folder and one line here (docs/dev/adding-a-provider.md).
 */
export const PROVIDERS = [
  cloudflare,
  rfc2136,
  powerdns,
  dyndns2,
  duckdns,
  digitalocean,
  noip,
  dynu,
  dynv6,
  hetzner,
  desec,
  gandi,
  luadns,
  hostinger,
  cloudns,
  njalla,
  domeneshop,
  dreamhost,
  namesilo,
  easydns,
  infomaniak,
  loopia,
  transip,
  scaleway,
  ionos,
  spaceship,
  ns1,
  gcore,
  bunny,
  dyn,
  he,
  strato,
  selfhost,
  spdyn,
  changeip,
  nowdns,
  dnsomatic,
  variomedia,
  gigahost,
  inwx,
  ipv64,
  ddnss,
  goip,
  dd24,
  zoneedit,
  myaddr,
  freedns,
  namecheap,
  custom,
  linode,
  vultr,
  porkbun,
  godaddy,
  dnsimple,
  route53,
  gcp,
  azure,
  ovh,
  dnspod,
  aliyun,
  huaweicloud,
  netcup,
] as const;

export type AnyDescriptor = (typeof PROVIDERS)[number];
export type ProviderId = AnyDescriptor["id"];

type Entry<D> = D extends ProviderDescriptor<infer S> & { readonly id: infer I } ? { type: I; settings: S } : never;
/** What a target holds: the provider's id and its parsed settings (a discriminated union over the registry). */
export type ProviderSettings = Entry<AnyDescriptor>;

/** Every provider of the daemon's build. */
export const ALL_PROVIDERS: Catalogue<AnyDescriptor> = createCatalogue(PROVIDERS);
