import type { Subprocess } from "bun";

/**
 * Drives tests/netns/probe.ts (or its compiled form) running inside a namespace: collects its JSON lines, waits
 * for the next line that matches, sends stdin commands, and keeps stderr (the source's log) for assertions.
 */

export type ProbeLine = {
  ready?: boolean;
  runtime?: string;
  unavailable?: string;
  change?: string;
  at?: number;
  detect?: boolean;
  closed?: number;
  v4?: string;
  v6?: string;
  addresses4?: string[];
  addresses6?: string[];
  /** IFA_FLAGS by IPv6 address, as the source's mirror holds them. */
  flags6?: Record<string, number>;
};

export interface Probe {
  /** Resolves with the first unread line matching `predicate` (lines before it are consumed). */
  next(predicate: (line: ProbeLine) => boolean, timeoutMs?: number): Promise<ProbeLine>;
  /** Every line read so far. */
  readonly lines: ProbeLine[];
  send(command: "detect" | "close"): void;
  stderr(): string;
  kill(): void;
  exited: Promise<number>;
}

export function startProbe(argv: string[]): Probe {
  const proc: Subprocess<"pipe", "pipe", "pipe"> = Bun.spawn(argv, { stdin: "pipe", stdout: "pipe", stderr: "pipe", cwd: `${import.meta.dir}/../..` });
  const lines: ProbeLine[] = [];
  let read = 0;
  let errText = "";
  let wake: () => void = () => {};
  const pump = async (stream: ReadableStream<Uint8Array>, onText: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      onText(decoder.decode(chunk, { stream: true }));
      wake();
    }
  };
  let partial = "";
  void pump(proc.stdout, (text) => {
    partial += text;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const p of parts) if (p.trim().startsWith("{")) lines.push(JSON.parse(p) as ProbeLine);
  });
  void pump(proc.stderr, (text) => void (errText += text));

  return {
    lines,
    async next(predicate, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        while (read < lines.length) {
          const line = lines[read++] as ProbeLine;
          if (predicate(line)) return line;
        }
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`probe: no matching line within ${timeoutMs} ms; lines: ${JSON.stringify(lines)}; stderr: ${errText.slice(-2000)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(left, 50));
        });
      }
    },
    send(command) {
      proc.stdin.write(`${command}\n`);
      proc.stdin.flush();
    },
    stderr: () => errText,
    kill: () => proc.kill(),
    exited: proc.exited,
  };
}
