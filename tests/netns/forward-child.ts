/**
 * The namespace half of tests/netns/forward.ts, run with `ip netns exec NS bun forward-child.ts UNIX_PATH`: listens
 * on 127.0.0.1 (port 0) inside the namespace, prints the port as its first line, and joins every connection to the
 * unix socket UNIX_PATH (pathname sockets are reached through the file system, whatever the network namespace).
 * Ends when its standard input closes (the parent went away).
 */
import { connect, createServer } from "node:net";

const path = process.argv[2];
if (!path) throw new Error("usage: forward-child.ts UNIX_PATH");
const server = createServer((inbound) => {
  const outbound = connect(path);
  inbound.pipe(outbound).on("error", () => inbound.destroy());
  outbound.pipe(inbound).on("error", () => outbound.destroy());
  inbound.on("error", () => outbound.destroy());
  outbound.on("error", () => inbound.destroy());
});
server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
