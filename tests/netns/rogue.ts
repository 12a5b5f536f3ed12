import { join } from "node:path";
import type { RouterLab } from "./router.ts";

/** tests/netns/rogue-igd.ts on a host of its own on the lab's LAN; its events as they arrive. */
export interface RogueIgd {
  readonly address: string;
  readonly fakeAddress: string;
  /** The JSON events the rogue printed so far (m-search answered, http requests served). */
  events(): Array<{ event: string; from?: string; st?: string; method?: string; path?: string; action?: string }>;
  stop(): Promise<void>;
}

export async function startRogueIgd(lab: RouterLab, fakeAddress: string): Promise<RogueIgd> {
  const host = lab.addLanHost("rogue");
  const proc = Bun.spawn(host.ns.exec("bun", join(import.meta.dir, "rogue-igd.ts"), host.address, fakeAddress), { stdin: "pipe", stdout: "pipe", stderr: "pipe" });
  const events: ReturnType<RogueIgd["events"]> = [];
  let stderr = "";
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of proc.stdout) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
    }
  })();
  void new Response(proc.stderr).text().then((t) => (stderr = t));
  const deadline = Date.now() + 10_000;
  while (!events.some((e) => e.event === "ready")) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`the rogue IGD did not start: ${stderr}`);
    }
    await Bun.sleep(20);
  }
  return {
    address: host.address,
    fakeAddress,
    events: () => events,
    async stop() {
      proc.kill();
      await proc.exited;
    },
  };
}
