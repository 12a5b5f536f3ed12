#!/usr/bin/env bash
# The real router daemon for tests/netns/router.ts (the router IP source's lab): miniupnpd, which serves UPnP IGD,
# NAT-PMP and PCP. Idempotent: nothing is fetched when the cached copy runs.
#
# Why not Debian 12's own miniupnpd (2.3.1): it refuses to report any reserved WAN address — the documentation
# ranges 198.51.100.0/24 and 203.0.113.0/24 the lab uses, and 100.64.0.0/10 of the double-NAT case — over every
# protocol ("private/reserved address … is not suitable for external IP"), and it has no option to allow them.
# Debian 13 (trixie)'s miniupnpd 2.3.9 has `ext_allow_private_ipv4=yes`. Its binary needs glibc ≥ 2.38, so it runs
# with trixie's libc6 through that libc's own loader, with Debian 12's libmnl0 and libnftnl11 (from the nftables
# package, which the lab also needs: miniupnpd's rules go into nftables chains the lab creates).
#
# How: like scripts/install-deploy-deps.sh's quadlet, apt-get with a private sources list and package lists (the
# system's apt setup is not touched) downloads miniupnpd-nftables and libc6 from trixie, `dpkg-deb -x` unpacks
# them into $DDNSD_CI_CACHE/miniupnpd (default /var/cache/ddnsd-ci, else .tmp/ddnsd-ci when not writable), and a
# wrapper $DDNSD_CI_CACHE/miniupnpd/miniupnpd runs the daemon. Nothing is installed system-wide by this part.
# Also installed from Debian 12 (for the lab and for checking it by hand): nftables, miniupnpc (upnpc), natpmpc.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

declare -A NEED=([nft]=nftables [upnpc]=miniupnpc [natpmpc]=natpmpc)
missing=()
for bin in "${!NEED[@]}"; do
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ]; then missing+=("${NEED[$bin]}"); fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

cache=${DDNSD_CI_CACHE:-/var/cache/ddnsd-ci}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then cache="$PWD/.tmp/ddnsd-ci"; mkdir -p "$cache"; fi
dir="$cache/miniupnpd"
wrapper="$dir/miniupnpd"
if [ -x "$wrapper" ] && "$wrapper" --version >/dev/null 2>&1; then
  echo "$("$wrapper" --version | head -n 1) is cached at $wrapper"
  exit 0
fi

work="$dir.partial"
rm -rf "$work" "$dir"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/deb"
mirror=$(grep -hoE '^URIs: *[^ ]+/debian$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | sed 's/^URIs: *//')
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb +[^ ]+/debian ' /etc/apt/sources.list 2>/dev/null | head -n 1 | awk '{print $2}')
[ -n "$mirror" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$work/sources.list"
: >"$work/status"
apt_opts=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::State::status=$work/status"
  -o "Dir::Cache=$work"
  -o "Dir::Cache::archives=$work/archives"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Acquire::Languages=none"
  -o "APT::Sandbox::User=root"
)
echo "Fetching miniupnpd and its glibc from Debian trixie…"
apt-get "${apt_opts[@]}" update -q >/dev/null
(cd "$work/deb" && apt-get "${apt_opts[@]}" download miniupnpd-nftables libc6 >/dev/null)
mkdir -p "$work/root"
for deb in "$work"/deb/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
libdir="usr/lib/$multiarch"
loader=$(cd "$work/root" && ls "$libdir"/ld-linux*.so.* | head -n 1)
[ -n "$loader" ] || { echo "no dynamic loader in trixie's libc6" >&2; exit 1; }
dpkg-deb -f "$work"/deb/miniupnpd-nftables_*.deb Version >"$work/miniupnpd-version"
rm -rf "$work/deb" "$work/archives" "$work/lists" "$work/status" "$work/sources.list"
mv "$work" "$dir"
cat >"$wrapper" <<EOF
#!/bin/sh
# miniupnpd $(cat "$dir/miniupnpd-version") from Debian trixie with trixie's glibc (written by scripts/install-miniupnpd.sh)
exec "$dir/root/$loader" --library-path "$dir/root/$libdir:/usr/lib/$multiarch:/lib/$multiarch" "$dir/root/usr/sbin/miniupnpd" "\$@"
EOF
chmod 0755 "$wrapper"
"$wrapper" --version >/dev/null
echo "$("$wrapper" --version | head -n 1) cached at $wrapper"
