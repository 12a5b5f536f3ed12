import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Netns } from "./netns.ts";
import type { RouterLabOptions } from "./router.ts";

/**
 * What tests/netns/router.ts writes for its router: miniupnpd's configuration and the nftables ruleset of the router
 * namespace (the chains miniupnpd's nftables backend adds its rules to, as Debian's nft_init.sh creates them, plus
 * the refusals of protocols turned off). See router.ts for why the configuration is what it is.
 */

export const refusals = (o: RouterLabOptions) => [o.natpmp === false ? "udp dport 5351 @th,64,8 0 reject" : "", o.pcp === false ? "udp dport 5351 @th,64,8 2 reject" : ""].filter(Boolean);

export function nftRules(o: RouterLabOptions): string {
  const refuse = refusals(o);
  return [
    "table inet filter {",
    "  chain input {",
    "    type filter hook input priority 0; policy accept;",
    ...refuse.map((rule) => `    ${rule}`),
    "  }",
    "  chain output {",
    "    type filter hook output priority 0; policy accept;",
    "  }",
    "  chain forward {",
    "    type filter hook forward priority 0; policy accept;",
    "    jump miniupnpd",
    "  }",
    "  chain miniupnpd {",
    "  }",
    "  chain prerouting {",
    "    type nat hook prerouting priority -100; policy accept;",
    "    jump prerouting_miniupnpd",
    "  }",
    "  chain postrouting {",
    "    type nat hook postrouting priority 100; policy accept;",
    "    jump postrouting_miniupnpd",
    "  }",
    "  chain prerouting_miniupnpd {",
    "  }",
    "  chain postrouting_miniupnpd {",
    "  }",
    "}",
    "",
  ].join("\n");
}

export function miniupnpdConfig(o: RouterLabOptions, wan: string, subnet: string, httpPort: number, dir: string): string {
  const allowPrivate = o.allowPrivate !== false;
  return [
    "ext_ifname=va",
    "listening_ip=br-lan",
    `http_port=${httpPort}`,
    `enable_upnp=${o.igd === false ? "no" : "yes"}`,
    `enable_natpmp=${o.natpmp === false && o.pcp === false ? "no" : "yes"}`,
    "secure_mode=yes",
    "system_uptime=no",
    "uuid=3e1f6c2a-7d5b-4c1e-9a0f-2b8d6e4c1a77",
    "friendly_name=ddnsd test router",
    `lease_file=${join(dir, "leases")}`,
    ...(allowPrivate ? ["ext_allow_private_ipv4=yes", `ext_ip=${wan}`] : []),
    `allow 1024-65535 ${subnet} 1024-65535`,
    "deny 0-65535 0.0.0.0/0 0-65535",
    "",
  ].join("\n");
}

export function nft(ns: Netns, script: string): void {
  const r = spawnSync("ip", ["netns", "exec", ns.name, "nft", "-f", "-"], { input: script, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`nft in the router namespace failed: ${r.stderr || r.error?.message}`);
}

