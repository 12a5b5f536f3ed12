/** The command line: `ddnsd [run|once|check|healthcheck|providers] [--dry-run]`, `--version`, `--help`. */
export type Command = "run" | "once" | "check" | "healthcheck" | "providers" | "version" | "help";

export type ParsedArgs = { ok: true; command: Command; dryRun: boolean } | { ok: false; message: string };

const COMMANDS = new Set(["run", "once", "check", "healthcheck", "providers"]);

export function parseArgs(argv: string[]): ParsedArgs {
  let command: Command | undefined;
  let dryRun = false;
  for (const arg of argv) {
    if (arg === "--version" || arg === "-v" || arg === "-V") return { ok: true, command: "version", dryRun };
    if (arg === "--help" || arg === "-h" || arg === "help") return { ok: true, command: "help", dryRun };
    if (arg === "--dry-run" || arg === "-n") dryRun = true;
    else if (COMMANDS.has(arg) && command === undefined) command = arg as Command;
    else if (arg.startsWith("-")) return { ok: false, message: `unknown option ${JSON.stringify(arg)}; see ddnsd --help` };
    else return { ok: false, message: `unknown command ${JSON.stringify(arg)}; see ddnsd --help` };
  }
  command ??= "run";
  if (dryRun && command !== "run" && command !== "once") {
    return { ok: false, message: `--dry-run goes with run or once, not ${command}` };
  }
  return { ok: true, command, dryRun };
}
