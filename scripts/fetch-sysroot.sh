#!/usr/bin/env bash
# Fetches the glibc of one Debian architecture (the package libc6:ARCH) and unpacks it into a private directory,
# the "sysroot" the release image's root filesystem and the emulated tests take their shared objects from:
#   SYSROOT/lib/ld-linux-aarch64.so.1, SYSROOT/lib/aarch64-linux-gnu/libc.so.6, libm.so.6, …   (arm64)
#   SYSROOT/lib64/ld-linux-x86-64.so.2, SYSROOT/lib/x86_64-linux-gnu/libc.so.6, …               (amd64)
#
#   scripts/fetch-sysroot.sh ARCH        ARCH = arm64 | amd64; prints the sysroot's path as its last line
#
# How: apt-get with private state (package lists, cache, an empty dpkg status) and APT::Architecture=ARCH, reading
# the machine's own apt sources (or $DDNSD_SYSROOT_SOURCES, a sources.list file), so the system's dpkg and apt setup
# are never touched — no `dpkg --add-architecture`, nothing installed. `apt-get download libc6:ARCH`, `dpkg-deb -x`.
# Debian's archive keyring checks the lists, the lists' hashes check the package.
#
# Cached in $DDNSD_CI_CACHE/sysroot-ARCH (default /var/cache/ddnsd-ci, else .tmp/ddnsd-ci when that is not
# writable), like scripts/install-deploy-deps.sh; the package's version is in SYSROOT/../libc6-version. Delete the
# directory or set DDNSD_SYSROOT_REFRESH=1 to fetch the newest libc6 (glibc security updates) before a release.
# Needs: apt-get, dpkg-deb (any Debian or Debian-based machine) and the network only when not cached.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:?usage: fetch-sysroot.sh ARCH (arm64 or amd64)}
case "$arch" in
  arm64) loader=lib/ld-linux-aarch64.so.1 ;;
  amd64) loader=lib64/ld-linux-x86-64.so.2 ;;
  *) echo "fetch-sysroot: unsupported architecture \"$arch\" (arm64 or amd64)" >&2; exit 1 ;;
esac

cache=${DDNSD_CI_CACHE:-/var/cache/ddnsd-ci}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then cache="$PWD/.tmp/ddnsd-ci"; mkdir -p "$cache"; fi
dir="$cache/sysroot-$arch"
sysroot="$dir/root"

# The loader may be an absolute symbolic link (Debian's amd64 /lib64 one): test the link, never what it points to
# on this machine.
present() { [ -L "$1" ] || [ -e "$1" ]; }

if [ "${DDNSD_SYSROOT_REFRESH:-0}" != 1 ] && present "$sysroot/$loader" && [ -f "$dir/libc6-version" ]; then
  echo "fetch-sysroot: libc6:$arch $(cat "$dir/libc6-version") is cached" >&2
  echo "$sysroot"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-sysroot: $tool is missing (this needs a Debian-based machine)" >&2; exit 1; }
done

work="$dir.partial"
rm -rf "$work"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/deb"
: >"$work/status"
apt_opts=(
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::State::status=$work/status"
  -o "Dir::Cache=$work"
  -o "Dir::Cache::archives=$work/archives"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Acquire::Languages=none"
  -o "APT::Architecture=$arch"
  -o "APT::Architectures::=$arch"
)
if [ -n "${DDNSD_SYSROOT_SOURCES:-}" ]; then
  apt_opts+=(-o "Dir::Etc::SourceList=$DDNSD_SYSROOT_SOURCES" -o "Dir::Etc::SourceParts=$work/no-parts")
  mkdir -p "$work/no-parts"
fi
# apt drops privileges to _apt for downloads; that user cannot write into a private directory owned by root.
if [ "$(id -u)" -eq 0 ]; then apt_opts+=(-o "APT::Sandbox::User=root"); fi

echo "fetch-sysroot: fetching libc6:$arch with apt (private package lists in $work)…" >&2
apt-get "${apt_opts[@]}" update -q >/dev/null
(cd "$work/deb" && apt-get "${apt_opts[@]}" download "libc6:$arch" >/dev/null)
deb=$(ls "$work"/deb/libc6_*.deb)
dpkg-deb -x "$deb" "$work/root"
if ! present "$work/root/$loader"; then
  echo "fetch-sysroot: $(basename "$deb") has no /$loader; is the architecture right?" >&2
  exit 1
fi
dpkg-deb -f "$deb" Version >"$work/libc6-version"
# Only the unpacked package is kept (the package lists are ~20 MB).
rm -rf "$dir"
mkdir -p "$dir"
mv "$work/root" "$sysroot"
mv "$work/libc6-version" "$dir/libc6-version"
rm -rf "$work"
echo "fetch-sysroot: libc6:$arch $(cat "$dir/libc6-version") unpacked in $sysroot ($(du -sh "$sysroot" | cut -f1))" >&2
echo "$sysroot"
