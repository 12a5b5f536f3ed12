import * as fsp from "node:fs/promises";
import type { Platform } from "../../src/daemon/platform.ts";

/**
 * A Platform for in-process tests of `wire`: the real fetch and file system, a clock and randomness of the test's
 * choosing, and nothing that touches the process (no signals, no stdout, no netlink, no listener unless given).
 */
export function testPlatform(overrides: Partial<Platform> = {}): Platform {
  return {
    runtime: "bun",
    fetch,
    now: Date.now,
    monotonic: () => performance.now(),
    random: () => 0.5,
    fs: fsp,
    serve: async () => {
      throw new Error("this test serves no HTTP (pass `serve`)");
    },
    listenToSignals: () => () => {},
    netlink: () => ({ unavailable: "no netlink in this test" }),
    networkInterfaces: () => ({}),
    openUdp: async () => {
      throw new Error("this test opens no UDP socket (pass `openUdp`)");
    },
    writeStdout: async (bytes) => bytes.length,
    readSecretFile: () => {
      throw new Error("this test reads no files");
    },
    pathAccess: () => {
      throw new Error("this test checks no state path");
    },
    rss: () => 1,
    startTimeSeconds: 0,
    startMemoryUpkeep: () => () => {},
    ...overrides,
  };
}

/**
 * A fetch for the http IP source: every URL containing `ip4` answers `v4`, every one containing `ip6` answers
 * `v6`, anything else goes to the real fetch (the fakes of the providers).
 */
export function ipEchoFetch(v4: string, v6: string): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes("ip4.test")) return new Response(`${v4}\n`, { headers: { "Content-Type": "text/plain" } });
    if (url.includes("ip6.test")) return new Response(`${v6}\n`, { headers: { "Content-Type": "text/plain" } });
    return fetch(input, init);
  }) as typeof fetch;
}
