import { createHash, createHmac } from "node:crypto";

/**
 * Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 (cloud.tencent.com/document/api/1427/56189), for one JSON POST
 * to "/". Written here with node:crypto: Tencent's own signer lives only inside its large SDK
 * (tencentcloud-sdk-nodejs), and no small maintained package signs TC3. Header names and values are signed in lower
 * case, as the documentation's canonical request writes them.
 */
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const hmac = (key: string | Buffer, s: string) => createHmac("sha256", key).update(s).digest();

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  action: string;
  contentType: string;
  body: string;
  /** Unix seconds. */
  timestamp: number;
}

export function tc3Authorization(i: Tc3Input): string {
  const signedHeaders = "content-type;host;x-tc-action";
  const canonicalHeaders = `content-type:${i.contentType.toLowerCase()}\nhost:${i.host.toLowerCase()}\nx-tc-action:${i.action.toLowerCase()}\n`;
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(i.body)}`;
  const date = new Date(i.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${i.timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
  const signing = hmac(hmac(hmac(`TC3${i.secretKey}`, date), i.service), "tc3_request");
  const signature = createHmac("sha256", signing).update(stringToSign).digest("hex");
  return `TC3-HMAC-SHA256 Credential=${i.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
