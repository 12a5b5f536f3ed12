import { describe, expect, it } from "bun:test";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { startKnot } from "./knot-peer.ts";
import { answersSoa, testKey } from "./dns-fixtures.ts";
import { freePort, makeTempDir, removeDir, requireBinary, startProcess, waitUntilReady } from "./server-process.ts";

describe("test server helpers", () => {
  it("fails loudly, naming the Debian package, when a server binary is missing", () => {
    expect(() => requireBinary("no-such-dns-server", "some-package")).toThrow(
      "no-such-dns-server is not installed: these tests need it (apt-get install some-package)",
    );
  });

  it("reports a server that exits during startup with its output", async () => {
    const dir = await makeTempDir("exit");
    const server = startProcess(requireBinary("sh", "dash"), ["-c", "echo bad config line 3; exit 1"], dir);
    const failure = waitUntilReady("sh", server, async () => false, 5_000);
    await expect(failure).rejects.toThrow(/sh exited during startup:\nbad config line 3/);
    await removeDir(dir);
  });

  it("stops a server that never becomes ready, and says what it printed", async () => {
    const dir = await makeTempDir("hang");
    const server = startProcess(requireBinary("sh", "dash"), ["-c", "echo still starting; sleep 30"], dir);
    await expect(waitUntilReady("sh", server, async () => false, 300)).rejects.toThrow(/did not become ready in 300 ms:\nstill starting/);
    expect(server.exited()).toBe(true);
    await removeDir(dir);
  });

  it("hands out a port that both TCP and UDP can bind on loopback", async () => {
    const port = await freePort();
    const tcp = createServer();
    await new Promise<void>((resolve, reject) => tcp.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    const udp = createSocket("udp4");
    await new Promise<void>((resolve, reject) => udp.once("error", reject).bind(port, "127.0.0.1", () => resolve()));
    udp.close();
    await new Promise((resolve) => tcp.close(resolve));
  });

  it("stops the server and removes its directory", async () => {
    const knot = await startKnot([testKey("cleanup-key")]);
    const dir = /rundir: "([^"]+)"/.exec(knot.output()) ?? /loaded configuration file '([^']+)\/knot.conf'/.exec(knot.output());
    expect(await answersSoa(knot.port, knot.zone)).toBe(true);
    await knot.stop();
    expect(await answersSoa(knot.port, knot.zone)).toBe(false);
    expect(dir?.[1] && existsSync(dir[1])).toBe(false);
  });
});
