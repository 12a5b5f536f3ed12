import type { Problem } from "../kit/answer.ts";
import type { FailureKind } from "../kit/types.ts";
import { DnsExchangeError, type SignedAnswer } from "../../dns/client.ts";
import { TSIG_ERRORS, type TsigKey } from "../../dns/tsig.ts";

/**
 * What RFC 2136 answers mean, as the kit's problems: rcodes, TSIG errors and lost answers sorted into a failure kind
 * and one operator line (the reason only: the template and the engine name the record, say "could not confirm" for
 * `mayHaveArrived` and when the next attempt comes).
 */

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];
export const rcodeName = (rcode: number): string => RCODES[rcode] ?? `RCODE${rcode}`;

const q = (value: string) => JSON.stringify(value);
const fail = (kind: FailureKind, reason: string, mayHaveArrived?: boolean): Problem =>
  mayHaveArrived ? { kind, reason, mayHaveArrived } : { kind, reason };

/** Where the provider talks, for every message: the server as configured and the key name (never the secret). */
export interface Context {
  server: string;
  key: TsigKey;
  /** DDNS_RFC2136_ZONE is set: a NOTZONE answer is then the operator's to fix, not a zone to find again. */
  fixedZone?: boolean;
}

/** A query or update that got no usable answer. After an UPDATE was sent, a timeout leaves the outcome unknown. */
export function exchangeProblem(error: unknown, what: string, ctx: Context, updateSent = false): Problem {
  const reason = error instanceof DnsExchangeError ? error.reason : "network";
  const detail = error instanceof Error ? error.message : String(error);
  if (updateSent && (reason === "timeout" || reason === "aborted")) {
    const why = reason === "timeout" ? `DNS server ${q(ctx.server)} did not answer the ${what} in time` : `the ${what} was cancelled after it was sent`;
    return fail("transient", `${why}; the change may or may not have been applied`, true);
  }
  if (reason === "aborted") return fail("transient", `the ${what} was cancelled before it finished`);
  if (reason === "timeout") {
    return fail("transient", `DNS server ${q(ctx.server)} did not answer the ${what} in time; check DDNS_RFC2136_SERVER and that the server is running`);
  }
  if (reason === "malformed") return fail("transient", `DNS server ${q(ctx.server)} sent an unreadable answer to the ${what}: ${detail}`);
  return fail("transient", `could not reach DNS server ${q(ctx.server)} for the ${what} (${detail}); check DDNS_RFC2136_SERVER and that the server is running`);
}

/** The answer to a plain query, when it is not usable (NOERROR and NXDOMAIN are). */
export function queryProblem(rcode: number, what: string, ctx: Context): Problem | undefined {
  if (rcode === 0 || rcode === 3) return undefined;
  if (rcode === 5 || rcode === 9) {
    return fail("config", `DNS server ${q(ctx.server)} refused the ${what} (${rcodeName(rcode)}): it is not authoritative for that name or does not answer this host; check DDNS_RFC2136_SERVER and DDNS_RFC2136_ZONE`);
  }
  return fail("transient", `DNS server ${q(ctx.server)} answered the ${what} with ${rcodeName(rcode)}`);
}

function tsigProblem(error: number, ctx: Context): Problem {
  const server = q(ctx.server);
  const key = q(ctx.key.name);
  switch (TSIG_ERRORS[error]) {
    case "BADKEY":
      return fail("auth", `DNS server ${server} did not accept TSIG key ${key} with algorithm ${ctx.key.algorithm} for this change (BADKEY): check DDNS_RFC2136_TSIG_KEY_NAME and DDNS_RFC2136_TSIG_ALGORITHM against the server's key, and that its acl or update policy lets this key change this name (Knot answers BADKEY to an update its acl denies)`);
    case "BADTIME":
      return fail("auth", `DNS server ${server} rejected the signature time (BADTIME): this host's clock and the server's differ by more than 5 minutes; fix the clock (NTP)`);
    default:
      return fail("auth", `DNS server ${server} rejected the TSIG signature of key ${key} (${TSIG_ERRORS[error] ?? `TSIG error ${error}`}): check the key name, the secret (DDNS_PROVIDER_API_TOKEN) and DDNS_RFC2136_TSIG_ALGORITHM`);
  }
}

/** What a signed UPDATE's answer means; undefined when the change was applied and the answer verified. */
export function updateProblem(answer: SignedAnswer, what: string, zone: string, ctx: Context): Problem | undefined {
  const server = q(ctx.server);
  const { tsig, rcode } = answer;
  if (tsig.status === "tsig-error") return tsigProblem(tsig.error, ctx);
  if (tsig.status === "unsigned") {
    return fail("transient", `the answer from ${server} to the ${what} (${rcodeName(rcode)}) was not signed with key ${q(ctx.key.name)}`, true);
  }
  if (tsig.status === "invalid") {
    return fail("transient", `the TSIG signature of the answer from ${server} to the ${what} did not verify (${tsig.reason})`, true);
  }
  if (tsig.error !== 0) return tsigProblem(tsig.error, ctx);
  switch (rcode) {
    case 0:
      return undefined;
    case 9:
      return fail("auth", `DNS server ${server} answered NOTAUTH to the ${what}: it did not accept key ${q(ctx.key.name)} or is not authoritative for zone ${q(zone)}; check the key name, secret and algorithm, and DDNS_RFC2136_SERVER`);
    case 5:
      return fail("auth", `DNS server ${server} refused the ${what} (REFUSED): the server's update policy does not allow key ${q(ctx.key.name)} to change this name; grant it on the server (BIND update-policy, Knot acl with action update)`);
    case 10: {
      const problem = fail("config", `the ${what} is outside zone ${q(zone)} on DNS server ${server} (NOTZONE); check DDNS_RFC2136_ZONE`);
      return ctx.fixedZone ? problem : { ...problem, tag: "stale-zone" };
    }
    case 4:
      return fail("config", `DNS server ${server} does not accept DNS UPDATE (NOTIMP); point DDNS_RFC2136_SERVER at the zone's primary server`);
    case 1:
      return fail("config", `DNS server ${server} could not parse the ${what} (FORMERR); the server may not support this TSIG algorithm (${ctx.key.algorithm})`);
    default:
      return fail("transient", `DNS server ${server} did not apply the ${what} (${rcodeName(rcode)})`);
  }
}
