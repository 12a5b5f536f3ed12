import { closeSync, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import type { SecretFileReader } from "../config/secret-file.ts";

/**
 * config/secret-file.ts's reader, through node:fs (Bun and Deno both provide it): stat first, so that a FIFO, a
 * device such as /dev/zero or a directory is refused without being opened or read; then at most `maxBytes` + 1
 * bytes are read (one more tells "too large" from "exactly the cap", also for a file that grew after the stat).
 */
const fail = (code: string, extra: Record<string, string> = {}) => Object.assign(new Error(code), { code, ...extra });

function kindOf(s: Stats): string {
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "a special file";
}

function refuseUnlessRegular(s: Stats, maxBytes: number): void {
  if (!s.isFile()) throw fail("ENOTREG", { kind: kindOf(s) });
  if (s.size > maxBytes) throw fail("EFBIG");
}

export const readSecretFile: SecretFileReader = (path, maxBytes) => {
  refuseUnlessRegular(statSync(path), maxBytes);
  const fd = openSync(path, "r");
  try {
    refuseUnlessRegular(fstatSync(fd), maxBytes); // the path may have been replaced since the stat
    const buffer = new Uint8Array(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw fail("EFBIG");
    return new TextDecoder().decode(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
};
