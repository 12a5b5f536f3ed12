import { trimAtLoad } from "./memory-upkeep-bun.ts";

/**
 * src/main.ts's first import, for its side effect: ES modules evaluate their imports in order, so this trim of the
 * executable's start-up pages runs before the rest of ddnsd's modules are evaluated (memory-upkeep-bun.ts
 * `trimAtLoad`; docs/memory.md has the figures). Under Deno it does nothing.
 */
trimAtLoad();
