import { createSocket } from "node:dgram";
import { Buffer } from "node:buffer";
import * as dnsPacket from "dns-packet";
import { layoutOf, writeU16 } from "../../src/dns/wire.ts";
import { opcodeOf } from "../../src/dns/messages.ts";

/**
 * A scripted UDP DNS server on 127.0.0.1, port 0, for answers real servers never give: unsigned or forged answers
 * to signed updates, silence, stray datagrams with the wrong id. Queries are answered from `zone` via dns-packet.
 */
export type UpdateBehaviour = "unsigned-noerror" | "replay-request-tsig" | "silent";

export interface FakeDnsOptions {
  zone: string;
  /** A records the fake serves (name → addresses). */
  records?: Record<string, string[]>;
  update: UpdateBehaviour;
  /** Send a datagram with the wrong id before each real answer. */
  strayFirst?: boolean;
  /** Answer queries for this name with SERVFAIL. */
  servfail?: string;
}

export interface FakeDns {
  port: number;
  updatesReceived(): number;
  close(): Promise<void>;
}

function answerQuery(query: Buffer, options: FakeDnsOptions): Buffer {
  const packet = dnsPacket.decode(query);
  const question = packet.questions?.[0];
  const name = question?.name.toLowerCase() ?? "";
  const soa = { name: options.zone, type: "SOA" as const, ttl: 60, data: { mname: `ns.${options.zone}`, rname: `h.${options.zone}`, serial: 1, minimum: 60 } };
  const inZone = name === options.zone || name.endsWith(`.${options.zone}`);
  const values = options.records?.[name] ?? [];
  const rcode = name === options.servfail ? 2 : !inZone ? 5 : 0;
  const answers = question?.type === "A" && rcode === 0 ? values.map((data) => ({ name, type: "A" as const, ttl: 300, data })) : [];
  const isApex = question?.type === "SOA" && name === options.zone;
  return dnsPacket.encode({
    id: packet.id,
    type: "response",
    flags: dnsPacket.AUTHORITATIVE_ANSWER | rcode,
    questions: packet.questions,
    answers: isApex ? [soa] : answers,
    authorities: !isApex && rcode === 0 && answers.length === 0 ? [soa] : [],
  });
}

/** An UPDATE answer: the zone section echoed, QR set; with `tsig`, the request's own TSIG record appended. */
function answerUpdate(request: Uint8Array, withRequestTsig: boolean): Uint8Array {
  const layout = layoutOf(request);
  const head = request.slice(0, layout.questionEnd);
  head[2] = (head[2] ?? 0) | 0x80;
  writeU16(head, 6, 0);
  writeU16(head, 8, 0);
  writeU16(head, 10, 0);
  const tsigAt = layout.additionals.at(-1);
  if (!withRequestTsig || tsigAt === undefined) return head;
  writeU16(head, 10, 1);
  return new Uint8Array([...head, ...request.subarray(tsigAt, layout.end)]);
}

export async function startFakeDns(options: FakeDnsOptions): Promise<FakeDns> {
  const socket = createSocket("udp4");
  let updates = 0;
  socket.on("message", (msg: Buffer, peer) => {
    const request = new Uint8Array(msg);
    let reply: Uint8Array | undefined;
    if (opcodeOf(request) === 5) {
      updates += 1;
      if (options.update !== "silent") reply = answerUpdate(request, options.update === "replay-request-tsig");
    } else {
      reply = answerQuery(msg, options);
    }
    if (!reply) return;
    if (options.strayFirst) {
      const stray = new Uint8Array(reply); // a copy (Buffer#slice would share memory)
      writeU16(stray, 0, ((stray[0] ?? 0) << 8 | (stray[1] ?? 0)) ^ 0xffff);
      socket.send(stray, peer.port, peer.address);
    }
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return {
    port: socket.address().port,
    updatesReceived: () => updates,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
