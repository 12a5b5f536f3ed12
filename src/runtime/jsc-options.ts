import process from "node:process";

/**
 * JavaScriptCore options the shipped binary runs with. JSC reads its options only from `BUN_JSC_*` environment
 * variables, before the VM starts — there is no build flag and no runtime call for them. So the compiled daemon,
 * started without them, replaces itself once with `execve` (same PID, same arguments and descriptors, nothing yet
 * read, written or opened by ddnsd) with the options added to its environment; a variable the operator set wins and
 * stops the re-exec, so `BUN_JSC_gcMaxHeapSize=0` gives JSC's own heuristics back.
 *
 * gcMaxHeapSize: JSC collects whenever this many bytes were allocated since the last collection, instead of letting
 * the heap grow by a share of its size first. A 1000-record change allocates ≈ 10 MiB of garbage within ≈ 50 ms,
 * where no timer (the GC pacer) gets a turn; with a fixed budget the collector runs inside the round (docs/memory.md,
 * fifth pass: busy peak 47.4 → 39.6 MiB for 0.5 points of a core more CPU).
 */

export const JSC_OPTIONS: Readonly<Record<string, string>> = { BUN_JSC_gcMaxHeapSize: String(512 * 1024) };

export interface ReexecWorld {
  env: Record<string, string | undefined>;
  /** Whether this is a `bun build --compile` executable (its modules live under `/$bunfs/`). */
  compiled: boolean;
  platform: string;
  execPath: string;
  /** The program's own arguments (after the executable). */
  args: readonly string[];
}

/** The execve to make, or `undefined` when there is none: not compiled, on Windows, or the options are set already. */
export function planReexec(world: ReexecWorld): { file: string; args: string[]; env: Record<string, string> } | undefined {
  if (!world.compiled || world.platform === "win32") return undefined;
  if (Object.keys(JSC_OPTIONS).some((name) => world.env[name] !== undefined)) return undefined; // set (by us, or by the operator)
  const env: Record<string, string> = { ...JSC_OPTIONS };
  for (const [name, value] of Object.entries(world.env)) if (value !== undefined) env[name] = value;
  return { file: world.execPath, args: [world.execPath, ...world.args], env };
}

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

/** Re-executes the compiled binary with JSC_OPTIONS when they are missing; returns only when it does not (or cannot). */
export function reexecWithJscOptions(moduleUrl: string = import.meta.url): void {
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof (globalThis as { Bun?: unknown }).Bun === "undefined" || typeof execve !== "function") return;
  const plan = planReexec({
    env: process.env,
    compiled: moduleUrl.includes("/$bunfs/"),
    platform: process.platform,
    execPath: process.execPath,
    args: process.argv.slice(2),
  });
  if (!plan) return;
  try {
    execve(plan.file, plan.args, plan.env);
  } catch {
    // The executable cannot be re-run (a noexec mount, a seccomp rule): run on with JSC's defaults.
  }
}
