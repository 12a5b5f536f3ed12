import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { answersSoa } from "./dns-fixtures.ts";
import {
  freePort, makeTempDir, removeDir, requireBinary, settledCount, startProcess, waitUntilReady,
} from "./server-process.ts";

const SCHEMA = "/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql";

export interface PowerDnsPeer {
  apiUrl: string;
  apiKey: string;
  dnsPort: number;
  /** Creates a Native zone through the API (with an SOA and one NS). */
  createZone(zone: string): Promise<void>;
  /** How many zone PATCH requests the web server has logged (after a short settle). */
  patches(): Promise<number>;
  output(): string;
  stop(): Promise<void>;
}

function pdnsConfig(dir: string, dnsPort: number, apiPort: number, apiKey: string): string {
  return [
    "launch=gsqlite3",
    `gsqlite3-database=${join(dir, "pdns.sqlite3")}`,
    "api=yes",
    `api-key=${apiKey}`,
    "webserver=yes",
    "webserver-address=127.0.0.1",
    `webserver-port=${apiPort}`,
    "webserver-allow-from=127.0.0.0/8",
    "webserver-loglevel=normal",
    "local-address=127.0.0.1",
    `local-port=${dnsPort}`,
    `socket-dir=${dir}`,
    "security-poll-suffix=",
    "cache-ttl=0",
    "negquery-cache-ttl=0",
    "query-cache-ttl=0",
    "zone-cache-refresh-interval=0",
    "distributor-threads=1",
    "receiver-threads=1",
    "loglevel=6",
    "",
  ].join("\n");
}

/**
 * Starts pdns_server (packages pdns-server, pdns-backend-sqlite3, sqlite3) with a fresh SQLite database and the
 * HTTP API on free loopback ports, in a temp dir. Ready once the API answers.
 */
export async function startPowerDns(): Promise<PowerDnsPeer> {
  const pdns = requireBinary("pdns_server", "pdns-server pdns-backend-sqlite3");
  const sqlite = requireBinary("sqlite3", "sqlite3");
  const schema = await readFile(SCHEMA, "utf8").catch(() => {
    throw new Error(`${SCHEMA} is missing: these tests need it (apt-get install pdns-backend-sqlite3)`);
  });
  const dir = await makeTempDir("pdns");
  const dnsPort = await freePort();
  const apiPort = await freePort();
  const apiKey = `key-${crypto.randomUUID()}`;
  const made = spawnSync(sqlite, [join(dir, "pdns.sqlite3")], { input: schema });
  if (made.status !== 0) throw new Error(`sqlite3 could not create the PowerDNS database: ${made.stderr}`);
  await writeFile(join(dir, "pdns.conf"), pdnsConfig(dir, dnsPort, apiPort, apiKey));
  const server = startProcess(pdns, ["--daemon=no", "--guardian=no", "--disable-syslog", `--config-dir=${dir}`], dir);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const headers = { "X-API-Key": apiKey, "Content-Type": "application/json" };
  try {
    await waitUntilReady("pdns_server", server, async () => (await fetch(`${apiUrl}/api/v1/servers`, { headers })).ok);
  } catch (error) {
    await removeDir(dir);
    throw error;
  }
  return {
    apiUrl,
    apiKey,
    dnsPort,
    async createZone(zone) {
      const body = { name: `${zone}.`, kind: "Native", nameservers: [`ns1.${zone}.`] };
      const response = await fetch(`${apiUrl}/api/v1/servers/localhost/zones`, { method: "POST", headers, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`creating zone ${zone} failed: ${response.status} ${await response.text()}`);
      await waitUntilReady("pdns zone", server, () => answersSoa(dnsPort, zone), 5_000);
    },
    patches: () => settledCount(server, /"PATCH \/api\/v1\/servers\/[^/]+\/zones\//g),
    output: server.output,
    async stop() {
      await server.stop();
      await removeDir(dir);
    },
  };
}
