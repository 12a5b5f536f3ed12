import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { answersSoa, TEST_ZONE, zoneFile, type TestKey } from "./dns-fixtures.ts";
import {
  freePort, makeTempDir, removeDir, requireBinary, settledCount, startProcess, waitUntilReady,
} from "./server-process.ts";

export interface DnsPeer {
  port: number;
  zone: string;
  /** How many DNS UPDATE messages the server has processed (from its own log, after a short settle). */
  updates(): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

/** A key Knot knows but whose acl only lets it change `only.<zone>` A records. */
export interface KnotOptions {
  limitedKey?: TestKey;
}

function knotConfig(dir: string, port: number, keys: TestKey[], options: KnotOptions): string {
  const limited = options.limitedKey;
  const allKeys = limited ? [...keys, limited] : keys;
  const limitedAcl = limited
    ? ["  - id: limited-update", `    key: ${limited.name}`, "    action: update", "    update-owner: name",
      "    update-owner-match: equal", "    update-owner-name: [only]", "    update-type: [A]"]
    : [];
  return [
    "server:",
    `    rundir: "${dir}"`,
    `    listen: 127.0.0.1@${port}`,
    "    udp-workers: 1",
    "    tcp-workers: 1",
    "    background-workers: 1",
    "log:",
    "  - target: stderr",
    "    any: info",
    "database:",
    `    storage: "${join(dir, "db")}"`,
    "control:",
    `    listen: "${join(dir, "knot.sock")}"`,
    "key:",
    ...allKeys.flatMap((k) => [`  - id: ${k.name}`, `    algorithm: ${k.algorithm}`, `    secret: ${k.secret}`]),
    "acl:",
    "  - id: ddns-update",
    `    key: [${keys.map((k) => k.name).join(", ")}]`,
    "    action: update",
    ...limitedAcl,
    "zone:",
    `  - domain: ${TEST_ZONE}`,
    `    storage: "${dir}"`,
    `    file: "${TEST_ZONE}.zone"`,
    "    zonefile-sync: -1",
    `    acl: [ddns-update${limited ? ", limited-update" : ""}]`,
    "",
  ].join("\n");
}

/** Starts knotd (package knot) on a free loopback port with a key-granted update ACL, in a fresh temp dir. */
export async function startKnot(keys: TestKey[], options: KnotOptions = {}): Promise<DnsPeer> {
  const knotd = requireBinary("knotd", "knot");
  const dir = await makeTempDir("knot");
  const port = await freePort();
  await mkdir(join(dir, "db"));
  await writeFile(join(dir, `${TEST_ZONE}.zone`), zoneFile());
  await writeFile(join(dir, "knot.conf"), knotConfig(dir, port, keys, options));
  const server = startProcess(knotd, ["-c", join(dir, "knot.conf")], dir);
  try {
    await waitUntilReady("knotd", server, () => answersSoa(port, TEST_ZONE));
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
  return {
    port,
    zone: TEST_ZONE,
    updates: () => settledCount(server, /DDNS, processing \d+ updates/g),
    output: server.output,
    async stop() {
      await server.stop();
      await removeDir(dir);
    },
  };
}
