import { AwsClient } from "aws4fetch";

/**
 * A fetch that signs every request with AWS Signature Version 4 (aws4fetch: small, maintained, made for Workers and
 * runtimes with WebCrypto), region us-east-1 and service route53 as Route 53's global endpoint wants. The kit's HTTP
 * client sends through it, so its deadline, byte cap, redirect rule and redaction stay as for every provider; each
 * redirect hop is signed afresh for its own URL.
 */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function sigv4Fetch(fetch: typeof globalThis.fetch, credentials: AwsCredentials): typeof globalThis.fetch {
  const client = new AwsClient({ ...credentials, service: "route53", region: "us-east-1" });
  const signed = async (input: Request | string | URL, init?: RequestInit) => fetch(await client.sign(input instanceof Request ? input : String(input), init));
  return signed as typeof globalThis.fetch;
}
