import { reexecWithJscOptions } from "./jsc-options.ts";
import { trimAtLoad } from "./memory-upkeep-bun.ts";

/**
 * src/main.ts's first import, for its side effects: ES modules evaluate their imports in order, so this runs before
 * the rest of ddnsd's modules are evaluated. First the compiled binary's JavaScriptCore options (jsc-options.ts: a
 * re-exec when they are missing), then one trim of the executable's start-up pages (memory-upkeep-bun.ts
 * `trimAtLoad`; docs/memory.md has the figures). Under Deno neither does anything.
 */
reexecWithJscOptions();
trimAtLoad();
