import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { answersSoa, TEST_ZONE, zoneFile, type TestKey } from "./dns-fixtures.ts";
import type { DnsPeer } from "./knot-peer.ts";
import {
  freePort, makeTempDir, removeDir, requireBinary, settledCount, startProcess, waitUntilReady,
} from "./server-process.ts";

/** A key BIND knows but only lets change `only.<zone>` A records: for REFUSED (update policy) answers. */
export interface BindOptions {
  keys: TestKey[];
  limitedKey?: TestKey;
}

function namedConfig(dir: string, port: number, options: BindOptions): string {
  const keys = [...options.keys, ...(options.limitedKey ? [options.limitedKey] : [])];
  const grants = options.keys.map((k) => `grant ${k.name} zonesub ANY;`);
  if (options.limitedKey) grants.push(`grant ${options.limitedKey.name} name only.${TEST_ZONE}. A;`);
  return [
    "options {",
    `  directory "${dir}";`,
    `  pid-file "${join(dir, "named.pid")}";`,
    `  session-keyfile "${join(dir, "session.key")}";`,
    `  managed-keys-directory "${dir}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    "  listen-on-v6 { none; };",
    "  recursion no;",
    "  notify no;",
    "  dnssec-validation no;",
    "  allow-transfer { none; };",
    "};",
    "controls { };",
    "logging {",
    "  channel out { stderr; severity info; print-category yes; };",
    "  category default { out; };",
    "  category update { out; };",
    "  category update-security { out; };",
    "};",
    ...keys.map((k) => `key "${k.name}" { algorithm ${k.algorithm}; secret "${k.secret}"; };`),
    `zone "${TEST_ZONE}" {`,
    "  type primary;",
    `  file "${join(dir, `${TEST_ZONE}.zone`)}";`,
    `  update-policy { ${grants.join(" ")} };`,
    "};",
    "",
  ].join("\n");
}

/** Starts named (package bind9) in the foreground on a free loopback port, zone directory writable for the journal. */
export async function startBind(options: BindOptions): Promise<DnsPeer> {
  const named = requireBinary("named", "bind9");
  const dir = await makeTempDir("bind");
  const port = await freePort();
  await writeFile(join(dir, `${TEST_ZONE}.zone`), zoneFile());
  await writeFile(join(dir, "named.conf"), namedConfig(dir, port, options));
  const server = startProcess(named, ["-f", "-n", "1", "-c", join(dir, "named.conf")], dir);
  try {
    await waitUntilReady("named", server, () => answersSoa(port, TEST_ZONE));
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
  return {
    port,
    zone: TEST_ZONE,
    // One UPDATE logs a line per change, all from the same client address#port: count distinct clients.
    updates: () => settledCount(server, /update: client @\S+ \S+(?=\/key \S+: updating zone)/g, true),
    output: server.output,
    async stop() {
      await server.stop();
      await removeDir(dir);
    },
  };
}
