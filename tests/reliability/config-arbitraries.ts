import fc from "fast-check";

/**
 * Generators for configuration fuzzing. A valid environment is built per provider; a malformed one is a valid
 * environment with exactly one fault applied, and the fault says which variable the error must name. The oracles
 * here are written from the contract (CONTRACT.md), not from src/config, so they can disagree with the loader.
 */

export type Env = Record<string, string | undefined>;
/** A token file the generated env refers to; `kind` decides what reading it does. */
export type FileSpec = { path: string; kind: "text"; text: string } | { path: string; kind: "missing" | "directory" | "denied" };
export interface Case {
  env: Env;
  files: FileSpec[];
  /** The variable the one-line error must name (malformed cases only). */
  variable?: string;
  /** The provider secret in use, which must never be printed. */
  secret: string;
  label: string;
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
/** Distinctive secrets, so a leak check cannot be fooled by a common word. */
const cfToken = hex(16).map((h) => `fz-tok-${h}`);
const tsigSecret = fc.uint8Array({ minLength: 16, maxLength: 48 }).map((b) => Buffer.from(b).toString("base64"));
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/);
const fqdn = fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom("example.com", "example.org", "example.net")).map(([l, z]) => `${l.join(".")}.${z}`);
const records = fc.array(fqdn, { minLength: 1, maxLength: 4 }).map((names) => names.join(","));
const port = fc.integer({ min: 1, max: 65535 });
const duration = fc.tuple(fc.integer({ min: 1, max: 59 }), fc.constantFrom("s", "m", "h")).map(([n, u]) => `${n}${u}`);

/** Optional settings that are valid for every provider (each present or not). */
const optional = fc.record(
  {
    DDNS_RECORD_TTL: fc.oneof(fc.constant("auto"), fc.integer({ min: 60, max: 86_400 }).map(String)), // valid at every provider
    DDNS_IP_VERSIONS: fc.constantFrom("4", "6", "4,6", "6,4", "ipv4"),
    DDNS_IP_SOURCE_URLS_V4: fc.constantFrom("http://127.0.0.1:9/ip", "https://[2001:db8::1]/cdn-cgi/trace,http://198.51.100.1/"),
    DDNS_POLL_INTERVAL: duration,
    DDNS_VERIFY_INTERVAL: duration,
    DDNS_SHUTDOWN_TIMEOUT: fc.tuple(fc.integer({ min: 1, max: 59 }), fc.constantFrom("s", "m")).map(([n, u]) => `${n}${u}`),
    DDNS_LOG_LEVEL: fc.constantFrom("trace", "debug", "info", "WARN", "error"),
    DDNS_LOG_FORMAT: fc.constantFrom("text", "json"),
    DDNS_HTTP_ADDR: fc.oneof(fc.constant("off"), port.map((p) => `127.0.0.1:${p}`), port.map((p) => `[::1]:${p}`)),
    DDNS_ALLOW_PRIVATE_ADDRESSES: fc.constantFrom("true", "false", "yes", "0"),
    DDNS_STATE_STORE_TYPE: fc.constant("memory"),
  },
  { requiredKeys: [] },
);

const providerPart = fc.oneof(
  cfToken.map((t) => ({ env: { DDNS_PROVIDER_TYPE: "cloudflare", DDNS_PROVIDER_API_TOKEN: t }, secret: t })),
  fc.tuple(tsigSecret, port).map(([t, p]) => ({
    env: { DDNS_PROVIDER_TYPE: "rfc2136", DDNS_PROVIDER_API_TOKEN: t, DDNS_RFC2136_SERVER: `127.0.0.1:${p}`, DDNS_RFC2136_TSIG_KEY_NAME: "ddns-key.example.com" },
    secret: t,
  })),
  cfToken.map((t) => ({ env: { DDNS_PROVIDER_TYPE: "powerdns", DDNS_PROVIDER_API_TOKEN: t, DDNS_PROVIDER_API_URL: "http://127.0.0.1:8081" }, secret: t })),
  cfToken.map((t) => ({ env: { DDNS_PROVIDER_TYPE: "dyndns2", DDNS_PROVIDER_API_TOKEN: t, DDNS_DYNDNS2_PRESET: "noip", DDNS_DYNDNS2_USERNAME: "alice" }, secret: t })),
  cfToken.map((t) => ({ env: { DDNS_PROVIDER_TYPE: "duckdns", DDNS_PROVIDER_API_TOKEN: t }, secret: t })),
);

/** A mistyped variable only earns a warning. */
const typo = fc.option(fc.constantFrom("DDNS_RECORD", "DDNS_LOGLEVEL", "DDNS_TOKEN"), { nil: undefined });

export const validCase: fc.Arbitrary<Case> = fc.tuple(providerPart, records, optional, typo).map(([p, r, o, t]) => ({
  env: { ...p.env, DDNS_RECORDS: r, ...o, ...(t ? { [t]: "x" } : {}) },
  files: [],
  secret: p.secret,
  label: `valid ${p.env.DDNS_PROVIDER_TYPE}`,
}));

/** Text that is none of `valid` (case-insensitively, after trimming) and not blank. */
const junk = (...valid: string[]) =>
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
      fc.constantFrom("-1", "0", "NaN", "null", "undefined", "true", "1e9", "{}", "[]", "0x10", "\u00e9t\u00e9", "\u{1F600}", "a\tb"),
      fc.integer({ min: 1000, max: 20_000 }).map((n) => "9".repeat(n)),
    )
    .filter((s) => s.trim() !== "" && !valid.includes(s.trim().toLowerCase()));

const looksLikeDuration = (s: string) => /^(\d+(\.\d+)?(ms|s|m|h|d))+$/i.test(s.trim());
const badDuration = fc.oneof(junk().filter((s) => !looksLikeDuration(s)), fc.constantFrom("5", "5 m", "-5s", "5min", "1.5.5s", "0s", "999ms", "s"));
const badBool = junk("true", "false", "1", "0", "yes", "no", "on", "off");
/** Not `auto` and not whole seconds: wrong at every provider. */
const badTtl = fc.oneof(junk("auto").filter((s) => !/^\d+$/.test(s.trim())), fc.constantFrom("-30", "3.5", "1e3", "5m"));
/** Whole seconds outside the range of a provider that sets TTLs (where the service chooses, any number is ignored). */
const outOfRangeTtl = (...extra: string[]) => fc.constantFrom("0", "1", "29", "86401", "99999999999999999999", ...extra);
const badUrl = fc.oneof(junk().filter((s) => !/^https?:\/\//i.test(s.trim())), fc.constantFrom("ftp://example.com", "http://user:pw@example.com", "http://", "https://exa mple.com", "file:///etc/passwd"));
const badAddr = fc.oneof(junk("off").filter((s) => !/^([\w.-]+|\[[\da-f:.]+\]):\d+$/i.test(s.trim())), fc.constantFrom("localhost", ":8080", "127.0.0.1:0", "127.0.0.1:65536", "[::1]8080", "[zz::1]:80", "127.0.0.1:-1"));
const badRecords = fc.oneof(
  fc.constantFrom(",", "example.com,,www.example.com", "localhost", "exa mple.com", "-bad-.example.com", "example..com", "*.*.example.com", "a.*.example.com", "www.example.-com"),
  fc.integer({ min: 64, max: 300 }).map((n) => `${"a".repeat(n)}.example.com`),
  fc.integer({ min: 7, max: 2000 }).map((n) => Array.from({ length: n }, () => "abcdefghijklmnopqrstuvwxyz0123456789ab").join(".")), // > 253
  fc.integer({ min: 64, max: 20_000 }).map((n) => `${"a".repeat(n)}.example.com`),
  fc.tuple(fc.constantFrom(..."!@#$%^&()=+[]{}|;:'\"<>?/\\"), label).map(([c, l]) => `${l}${c}x.example.com`),
);

interface Fault {
  variable: string;
  apply: (env: Env, files: FileSpec[]) => void;
  label: string;
}

const set = (variable: string, value: fc.Arbitrary<string>, also: Env = {}): fc.Arbitrary<Fault> =>
  value.map((v) => ({ variable, label: `${variable}=${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)}`, apply: (env: Env) => Object.assign(env, also, { [variable]: v }) }));
const blank = fc.constantFrom("", " ", "\t", "  \n");
const unset = (variable: string, ...others: string[]): fc.Arbitrary<Fault> =>
  blank.map((b) => ({ variable, label: `${variable} missing`, apply: (env: Env) => void [variable, ...others].forEach((k) => (env[k] = k === variable ? b : undefined)) }));

/** Faults that apply to any provider. */
const commonFaults: fc.Arbitrary<Fault>[] = [
  unset("DDNS_PROVIDER_TYPE"),
  unset("DDNS_RECORDS"),
  unset("DDNS_PROVIDER_API_TOKEN", "DDNS_PROVIDER_API_TOKEN_FILE"),
  set("DDNS_PROVIDER_TYPE", junk("cloudflare", "rfc2136", "powerdns", "dyndns2", "duckdns")),
  set("DDNS_RECORDS", badRecords),
  set("DDNS_RECORD_TTL", badTtl),
  set("DDNS_RECORD_PROXIED", badBool),
  set("DDNS_IP_VERSIONS", fc.oneof(junk("4", "6", "ipv4", "ipv6").filter((s) => !/^(\s*(ipv)?[46]\s*,?)+$/i.test(s)), fc.constantFrom("5", "4,5", ",", "4;6", "v4"))),
  set("DDNS_IP_SOURCE_TYPE", junk("http", "netlink", "interface")),
  unset("DDNS_IP_SOURCE_INTERFACE").map((f) => ({ ...f, apply: (env: Env, files: FileSpec[]) => (f.apply(env, files), (env.DDNS_IP_SOURCE_TYPE = "netlink")) })),
  set("DDNS_IP_SOURCE_URLS_V4", fc.oneof(badUrl, fc.constant(",,,"))),
  set("DDNS_IP_SOURCE_URLS_V6", badUrl.map((u) => `http://127.0.0.1/,${u}`)),
  set("DDNS_IP_SOURCE_HTTP_FALLBACK", badBool),
  set("DDNS_ALLOW_PRIVATE_ADDRESSES", badBool),
  set("DDNS_POLL_INTERVAL", fc.oneof(badDuration, fc.constantFrom("8d", "500ms"))),
  set("DDNS_VERIFY_INTERVAL", badDuration),
  set("DDNS_SHUTDOWN_TIMEOUT", fc.oneof(badDuration, fc.constantFrom("2h", "61m"))),
  set("DDNS_STATE_STORE_TYPE", junk("memory", "file")),
  unset("DDNS_STATE_STORE_PATH").map((f) => ({ ...f, apply: (env: Env, files: FileSpec[]) => (f.apply(env, files), (env.DDNS_STATE_STORE_TYPE = "file")) })),
  set("DDNS_LOG_LEVEL", junk("trace", "debug", "info", "warn", "error")),
  set("DDNS_LOG_FORMAT", junk("text", "json")),
  set("DDNS_HTTP_ADDR", badAddr),
  set("DDNS_PROVIDER_API_TOKEN", fc.constantFrom("has space-fz-1", "line\nbreak-fz-2", "tab\there-fz-3")),
];

/** Faults that name the token file: unreadable in each way, empty, or conflicting with the direct token. */
const fileFaults: fc.Arbitrary<Fault> = fc.tuple(fc.constantFrom("missing", "directory", "denied", "empty", "conflict", "spaced"), hex(8)).map(([kind, id]) => ({
  variable: "DDNS_PROVIDER_API_TOKEN_FILE",
  label: `token file ${kind}`,
  apply: (env: Env, files: FileSpec[]) => {
    const path = `/run/secrets/fz-${id}`;
    env.DDNS_PROVIDER_API_TOKEN_FILE = path;
    if (kind === "missing" || kind === "directory" || kind === "denied") files.push({ path, kind });
    else if (kind === "empty") files.push({ path, kind: "text", text: "\n" });
    else if (kind === "spaced") (files.push({ path, kind: "text", text: `fz-file ${id}\n` }), (env.DDNS_PROVIDER_API_TOKEN = undefined));
    else files.push({ path, kind: "text", text: `fz-file-${id}-other\n` });
  },
}));

const providerFaults: Record<string, fc.Arbitrary<Fault>[]> = {
  cloudflare: [set("DDNS_RECORD_TTL", outOfRangeTtl("30", "59")), set("DDNS_PROVIDER_API_URL", badUrl)],
  rfc2136: [
    set("DDNS_RECORD_TTL", outOfRangeTtl()),
    unset("DDNS_RFC2136_SERVER"),
    unset("DDNS_RFC2136_TSIG_KEY_NAME"),
    set("DDNS_RFC2136_SERVER", fc.constantFrom("127.0.0.1:99999", "[zz]:53", "a b:53", "host:port", "127.0.0.1:0")),
    set("DDNS_RFC2136_TSIG_KEY_NAME", fc.constantFrom("bad key", "key!", "..", "k\u00e9y", `${"k".repeat(64)}.example.com`)),
    set("DDNS_RFC2136_ZONE", fc.constantFrom("bad zone", "zone!", "a..b", `${"z".repeat(64)}.example.com`)),
    set("DDNS_RFC2136_TSIG_ALGORITHM", junk("hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha224", "hmac-sha1")),
    set("DDNS_PROVIDER_API_TOKEN", fc.constantFrom("not base64!fz", "fz-tok-\u00e9\u00e9\u00e9", "====fzfz", "fzQUJDRUZHSQa")),
  ],
  powerdns: [unset("DDNS_PROVIDER_API_URL"), set("DDNS_PROVIDER_API_URL", badUrl), set("DDNS_RECORD_TTL", outOfRangeTtl())],
  dyndns2: [
    unset("DDNS_PROVIDER_API_URL", "DDNS_DYNDNS2_PRESET"),
    unset("DDNS_DYNDNS2_USERNAME"),
    set("DDNS_DYNDNS2_PRESET", junk("noip", "dynu", "dynv6", "desec", "ovh")),
    set("DDNS_PROVIDER_API_URL", badUrl),
  ],
  duckdns: [set("DDNS_PROVIDER_API_URL", badUrl)],
};

export const malformedCase: fc.Arbitrary<Case> = validCase.chain((base) => {
  const type = base.env.DDNS_PROVIDER_TYPE!;
  return fc.oneof(...commonFaults, fileFaults, ...(providerFaults[type] ?? [])).map((fault) => {
    const env = { ...base.env };
    const files: FileSpec[] = [];
    fault.apply(env, files);
    return { env, files, variable: fault.variable, secret: base.secret, label: `${type}: ${fault.label}` };
  });
});
