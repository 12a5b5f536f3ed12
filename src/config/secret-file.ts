import { ConfigError } from "../core/errors.ts";

/**
 * Secrets given as a value or as a file (`DDNS_X` / `DDNS_X_FILE`, Docker and Kubernetes secrets), the same rules for
 * every secret: one trailing newline trimmed, both set and different is an error, the file must be a regular file
 * of at most 64 KiB. No message here ever contains the secret itself.
 */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a secret file: refuses anything but a regular file (FIFO, device, directory) without reading from it, and
 * never reads more than `maxBytes` + 1 bytes. Throws errors with a `code`: ENOENT, EACCES, ENOTREG (with `kind`,
 * e.g. "a FIFO") or EFBIG. main.ts passes src/runtime/read-secret-file.ts; tests pass fakes.
 */
export type SecretFileReader = (path: string, maxBytes: number) => string;

const kib = (bytes: number) => `${bytes / 1024} KiB`;

function unreadable(variable: string, path: string, error: unknown): ConfigError {
  const { code, kind } = error as { code?: string; kind?: string };
  const why =
    code === "ENOENT" ? "no such file"
    : code === "EACCES" ? "permission denied"
    : code === "EISDIR" ? "it is a directory"
    : code === "ENOTREG" ? `not a regular file: ${kind ?? "a special file"}`
    : code === "EFBIG" ? `larger than ${kib(MAX_SECRET_FILE_BYTES)}; a secret file holds only the secret`
    : "unreadable";
  return new ConfigError(variable, `${variable} could not be read: ${JSON.stringify(path)} (${why}).`);
}

/** The secret in the file named by `variable` (a `_FILE` variable), one trailing newline trimmed. */
export function readSecretFile(variable: string, path: string, read: SecretFileReader): string {
  let text: string;
  try {
    text = read(path, MAX_SECRET_FILE_BYTES);
  } catch (error) {
    throw unreadable(variable, path, error);
  }
  // A reader that ignores the cap (a test fake) still cannot hand a huge secret through.
  if (text.length > MAX_SECRET_FILE_BYTES) throw unreadable(variable, path, { code: "EFBIG" });
  text = text.replace(/\r?\n$/, "");
  if (text.trim() === "") throw new ConfigError(variable, `${variable} names an empty file: ${JSON.stringify(path)}.`);
  return text;
}

export interface SecretValue {
  value: string;
  /** Where it came from (`DDNS_X` or `DDNS_X_FILE`): the variable a later message about the value names. */
  variable: string;
}

/** `name` or `name_FILE` from the environment; `undefined` when neither is set. */
export function readSecretVariable(env: Record<string, string | undefined>, read: SecretFileReader, name: string): SecretValue | undefined {
  const fileVariable = `${name}_FILE`;
  const direct = env[name]?.trim() || undefined;
  const path = env[fileVariable]?.trim() || undefined;
  const fromFile = path === undefined ? undefined : readSecretFile(fileVariable, path, read);
  if (direct !== undefined && fromFile !== undefined && direct !== fromFile) {
    throw new ConfigError(fileVariable, `${fileVariable} and ${name} are both set and differ; set only one of them.`);
  }
  if (fromFile !== undefined) return { value: fromFile, variable: fileVariable };
  return direct === undefined ? undefined : { value: direct, variable: name };
}

/**
 * A secret pasted with its quotes (`"abc"` or `'abc'`): docker's --env-file, Kubernetes and most env-file readers
 * keep them, and the provider then refuses the token every round. A warning, not an error: a password may really
 * begin and end with a quote character. Never shows the secret.
 */
export function quotedSecretWarning(secret: SecretValue): string | undefined {
  const { value, variable } = secret;
  if (value.length < 2) return undefined;
  const first = value[0];
  if ((first !== '"' && first !== "'") || value.at(-1) !== first) return undefined;
  const where = variable.endsWith("_FILE") ? "the file" : "the value";
  return `${variable}: ${where} begins and ends with ${first === '"' ? "a double" : "a single"} quote, which becomes part of the secret; remove the quotes unless they really belong to it.`;
}
