/**
 * Linux rtnetlink ABI numbers (include/uapi/linux/netlink.h, rtnetlink.h, if_addr.h, if_link.h) and the few
 * libc constants the socket loop needs. Only what ddnsd reads or sends; values are fixed by the kernel ABI.
 */

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const NETLINK_ROUTE = 0;

export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const EFD_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const MSG_DONTWAIT = 0x40;
export const POLLIN = 0x1;

/** Multicast groups: link changes, IPv4 and IPv6 address changes (0x111). */
export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV6_IFADDR = 0x100;
export const RTMGRP_DDNSD = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP = 0x300;
export const NLM_F_CREATE = 0x400;
export const NLM_F_EXCL = 0x200;

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_GETROUTE = 26;

export const IFLA_IFNAME = 3;

export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_CACHEINFO = 6;
export const IFA_FLAGS = 8;

/** Route attributes (rtnetlink.h `enum rtattr_type_t`), the main table and the unicast route type. */
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_TABLE = 15;
export const RT_TABLE_MAIN = 254;
export const RTN_UNICAST = 1;

/** Struct sizes in bytes. */
export const NLMSG_HDRLEN = 16;
export const IFADDRMSG_LEN = 8;
export const IFINFOMSG_LEN = 16;
export const RTMSG_LEN = 12;
export const RTA_HDRLEN = 4;
export const SOCKADDR_NL_LEN = 12;
export const POLLFD_LEN = 8;

/** A lifetime of 0xFFFFFFFF seconds means "forever" (INFINITY_LIFE_TIME). */
export const INFINITY_LIFE_TIME = 0xffffffff;

/** errno values (x86_64 and aarch64 agree on these). */
export const EINTR = 4;
export const EAGAIN = 11;
export const EBUSY = 16;
export const ENOBUFS = 105;

export const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM", 4: "EINTR", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 16: "EBUSY", 22: "EINVAL",
  24: "EMFILE", 93: "EPROTONOSUPPORT", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 105: "ENOBUFS",
};

/** `EACCES (errno 13)`, for operator messages. */
export const errnoText = (errno: number): string => `${ERRNO_NAMES[errno] ?? "error"} (errno ${errno})`;

/** Headers are in host byte order; true on every platform ddnsd targets (x86_64, aarch64). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
