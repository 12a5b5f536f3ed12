/**
 * The release builds use exactly the flags of `bun run build`: they are read from package.json's `build` script
 * at release time, never copied, so a flag added there (say `--no-compile-autoload-dotenv`) reaches the release
 * binaries by itself. Only the output path is replaced, and the cross-compilation target and the runtime to embed
 * are added.
 */

export class BuildScriptError extends Error {
  override name = "BuildScriptError";
}

/** What one release build changes in the build command. */
export interface ReleaseBuild {
  /** `bun build --target`, e.g. `bun-linux-arm64`. */
  target: string;
  /** The Bun runtime for that target (from npm), handed to `--compile-executable-path`. */
  executablePath: string;
  outfile: string;
}

// Characters that would make the script more than one plain command: the release cannot replay a shell.
const SHELL_SYNTAX = /[;&|<>`$(){}\\'"*?#~]/;
// Options the release sets itself; in the build script they would conflict (or silently win).
const RELEASE_OWNED = ["--target", "--compile-executable-path", "--outdir"];

/**
 * The arguments after `bun build` in package.json's build script (`bun build --compile … src/main.ts …
 * --outfile dist/ddnsd`), without the output path. Throws BuildScriptError, naming the problem, when the script
 * is not one plain `bun build --compile` command the release can replay.
 */
export function buildArguments(script: string | undefined): string[] {
  if (script === undefined || script.trim() === "") throw new BuildScriptError('package.json has no "build" script');
  if (SHELL_SYNTAX.test(script)) {
    throw new BuildScriptError(
      `the "build" script ${JSON.stringify(script)} is not a single plain command (quotes, variables, pipes or several commands); keep it one "bun build --compile …" line so that "bun run release" can reuse its flags`,
    );
  }
  const words = script.trim().split(/\s+/);
  if (words[0] !== "bun" || words[1] !== "build") {
    throw new BuildScriptError(`the "build" script ${JSON.stringify(script)} does not start with "bun build"`);
  }
  const args = words.slice(2);
  if (!args.includes("--compile")) throw new BuildScriptError(`the "build" script ${JSON.stringify(script)} has no --compile`);
  const kept: string[] = [];
  let outfiles = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const option = arg.split("=")[0]!;
    if (RELEASE_OWNED.includes(option)) {
      throw new BuildScriptError(`the "build" script sets ${option}, which "bun run release" sets for each target; remove it from the build script`);
    }
    if (option === "--outfile") {
      outfiles++;
      if (!arg.includes("=")) i++;
      continue;
    }
    kept.push(arg);
  }
  if (outfiles !== 1) throw new BuildScriptError(`the "build" script needs exactly one --outfile (found ${outfiles})`);
  return kept;
}

/** The complete `bun build …` argument list for one release target. */
export function releaseBuildCommand(buildArgs: readonly string[], build: ReleaseBuild): string[] {
  return ["build", ...buildArgs, `--target=${build.target}`, `--compile-executable-path=${build.executablePath}`, "--outfile", build.outfile];
}

/**
 * The Bun version package.json pins (`"packageManager": "bun@1.4.5"`), which the release runtimes are fetched at
 * and the building Bun must be (a compiled executable embeds bytecode of the Bun that built it).
 */
export function pinnedBunVersion(pkg: { packageManager?: unknown }): string {
  const field = typeof pkg.packageManager === "string" ? pkg.packageManager : "";
  const match = /^bun@(\d+\.\d+\.\d+)(?:\+.*)?$/.exec(field);
  if (!match) {
    throw new BuildScriptError(`package.json must pin Bun as "packageManager": "bun@X.Y.Z" (found ${JSON.stringify(pkg.packageManager ?? null)})`);
  }
  return match[1]!;
}
