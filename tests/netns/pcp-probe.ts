/**
 * A minimal PCP client (RFC 6887) for checking the router lab by hand and in router-lab.test.ts — Debian has no PCP
 * client. Run in the client namespace: `bun tests/netns/pcp-probe.ts ROUTER CLIENT_IP [INTERNAL_PORT]`. Sends one
 * MAP request (§11.1: UDP, the internal port, lifetime 120 s, no suggested external address), retransmits twice,
 * and prints one JSON line: { answered, from, result, lifetime, epoch, externalAddress, externalPort }.
 * The request is built from the RFC's figures, not from ddnsd's code, so that it checks the lab independently.
 */
import dgram from "node:dgram";

const [router = "", clientIp = "", internalPortArg = "40000"] = process.argv.slice(2);
const internalPort = Number(internalPortArg);

/** §7.1 request header (24 bytes) + §11.1 MAP opcode (36 bytes). */
function mapRequest(): Buffer {
  const b = Buffer.alloc(60);
  b[0] = 2; // version
  b[1] = 1; // R=0, opcode MAP
  b.writeUInt32BE(120, 4); // requested lifetime
  b.writeUInt16BE(0xffff, 18); // client IP as IPv4-mapped IPv6 (::ffff:a.b.c.d)
  clientIp.split(".").forEach((octet, i) => (b[20 + i] = Number(octet)));
  crypto.getRandomValues(b.subarray(24, 36)); // mapping nonce
  b[36] = 17; // protocol UDP
  b.writeUInt16BE(internalPort, 40); // internal port
  b.writeUInt16BE(internalPort, 42); // suggested external port
  b.writeUInt16BE(0xffff, 54); // suggested external address ::ffff:0.0.0.0 (none)
  return b;
}

/** §7.2 response header + §11.1 MAP body. */
function parse(m: Buffer, from: string) {
  if (m.length < 60 || m[0] !== 2 || m[1] !== 0x81) return { answered: true, from, malformed: true, length: m.length };
  return {
    answered: true,
    from,
    result: m[3],
    lifetime: m.readUInt32BE(4),
    epoch: m.readUInt32BE(8),
    externalPort: m.readUInt16BE(42),
    externalAddress: [...m.subarray(56, 60)].join("."),
  };
}

const socket = dgram.createSocket("udp4");
const request = mapRequest();
let tries = 0;
const done = (value: object) => {
  clearInterval(timer);
  socket.close();
  console.log(JSON.stringify(value));
};
socket.on("message", (m, r) => done(parse(m, r.address)));
socket.on("error", (e) => done({ answered: false, error: e.message }));
const send = () => {
  if (tries++ === 3) return done({ answered: false });
  socket.send(request, 5351, router);
};
const timer = setInterval(send, 500);
send();
