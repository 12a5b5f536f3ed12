#!/bin/sh
# Collects the complete root filesystem of the ddnsd container image into OUT_DIR:
#   /ddnsd                     the compiled binary (bun build --compile)
#   its glibc shared objects   exactly the ones it links (the loader, libc, libm, libdl, libpthread), at the same
#                              paths, so the loader's built-in search path finds them without /etc/ld.so.cache
#   /etc/passwd, /etc/group    root and nonroot (65532), the user the image runs as
#   /etc/nsswitch.conf         "hosts: files dns" for name resolution without NSS modules
#   /tmp (1777), /run          mount points: podman's --read-only puts tmpfs on them only where they exist
#                              (and mounts secrets under /run/secrets)
#   /var/lib/ddns              the state directory (the image's volume; the Containerfile gives it to 65532)
#
# Where the shared objects come from:
#   - without SYSROOT: this machine's, as `ldd` resolves them (the binary must be for this machine's architecture).
#     Used twice, so that both ways produce the same image: by the Containerfile's builder stage, and on a host that
#     cannot pull the builder image (CI), followed by `podman build --build-context rootfs=OUT_DIR` (docs/OPS.md).
#   - with SYSROOT (another root's /lib, e.g. Debian's libc6:arm64 unpacked by scripts/fetch-sysroot.sh): the
#     binary's PT_INTERP loader and its DT_NEEDED libraries, followed recursively, read with `readelf` and looked up
#     in SYSROOT's multiarch directories (/lib/TRIPLET, /usr/lib/TRIPLET, /lib, /usr/lib); symbolic links are
#     followed inside SYSROOT, never on this machine. Works for any architecture: scripts/release-image.sh builds
#     the amd64 and arm64 images this way.
#
# Self-check: the collected loader and libraries alone run `ddnsd --version` — natively, or for another
# architecture under qemu-user (`qemu-aarch64-static -L OUT_DIR`) when that is installed.
#
# usage: scripts/container-rootfs.sh BINARY OUT_DIR [SYSROOT]
#        (POSIX sh; needs ldd, or readelf with SYSROOT; OUT_DIR is replaced)
set -eu

usage="usage: container-rootfs.sh BINARY OUT_DIR [SYSROOT]"
binary=${1:?$usage}
out=${2:?$usage}
sysroot=${3:-}

if [ ! -x "$binary" ]; then
  echo "container-rootfs: $binary is not an executable file (run \"bun run build\" first)" >&2
  exit 1
fi
if [ -n "$sysroot" ]; then
  if [ ! -d "$sysroot" ]; then
    echo "container-rootfs: the sysroot $sysroot is not a directory (scripts/fetch-sysroot.sh ARCH makes one)" >&2
    exit 1
  fi
  if ! command -v readelf >/dev/null 2>&1; then
    echo "container-rootfs: readelf is missing (Debian package binutils)" >&2
    exit 1
  fi
elif ! command -v ldd >/dev/null 2>&1; then
  echo "container-rootfs: ldd is missing (Debian package libc-bin)" >&2
  exit 1
fi

# The ELF header's e_machine (2 bytes at offset 18, little-endian for both): the multiarch directory and qemu-user.
machine=$(od -An -tu2 -j18 -N2 "$binary" | tr -d ' ')
case "$machine" in
  62) triplet=x86_64-linux-gnu; qemu=qemu-x86_64-static; native=x86_64 ;;
  183) triplet=aarch64-linux-gnu; qemu=qemu-aarch64-static; native=aarch64 ;;
  *) echo "container-rootfs: $binary is not an x86-64 or AArch64 ELF executable (e_machine $machine)" >&2; exit 1 ;;
esac

# PATH (absolute, as seen inside the sysroot) with every symbolic link resolved inside the sysroot, component by
# component (Debian's /lib64/ld-linux-x86-64.so.2 is an absolute link that must not lead to this machine's file).
resolve() {
  rest=${1#/}
  at=""
  hops=0
  while [ -n "$rest" ]; do
    part=${rest%%/*}
    case "$rest" in */*) rest=${rest#*/} ;; *) rest="" ;; esac
    case "$part" in
      "" | .) continue ;;
      ..) at=$(dirname "${at:-/}"); [ "$at" != / ] || at=""; continue ;;
    esac
    if [ -L "$sysroot$at/$part" ]; then
      hops=$((hops + 1))
      [ "$hops" -le 32 ] || return 1
      target=$(readlink "$sysroot$at/$part")
      case "$target" in /*) at="" ;; esac
      rest="${target#/}${rest:+/$rest}"
    else
      at="$at/$part"
    fi
  done
  [ -e "$sysroot$at" ] || return 1
  echo "${at:-/}"
}
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }

if [ -z "$sysroot" ]; then
  # Every absolute path ldd prints: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux….so.2 (0x…)".
  libs=$(ldd "$binary" | awk '{ for (i = 1; i <= NF; i++) if (substr($i, 1, 1) == "/") print $i }' | sort -u)
  loader=$(echo "$libs" | grep '/ld-linux' | head -n 1 || true)
else
  loader=$(readelf -l "$binary" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
  if [ -z "$loader" ] || ! resolve "$loader" >/dev/null; then
    echo "container-rootfs: the loader ${loader:-(none)} that $binary asks for is not in $sysroot" >&2
    exit 1
  fi
  libs=$loader
  pending=$(needed "$binary")
  while [ -n "$pending" ]; do
    name=$(echo "$pending" | head -n 1)
    pending=$(echo "$pending" | sed 1d)
    # The loader is also named as a library (DT_NEEDED ld-linux-….so): it is the PT_INTERP file already collected.
    [ "$name" != "$(basename "$loader")" ] || continue
    found=""
    for dir in "/lib/$triplet" "/usr/lib/$triplet" /lib /usr/lib; do
      if resolve "$dir/$name" >/dev/null; then found="$dir/$name"; break; fi
    done
    if [ -z "$found" ]; then
      echo "container-rootfs: $name (needed by $binary) is in none of $sysroot/{lib,usr/lib}/$triplet" >&2
      exit 1
    fi
    if ! echo "$libs" | grep -qxF "$found"; then
      libs=$(printf '%s\n%s' "$libs" "$found")
      pending=$(printf '%s\n%s' "$pending" "$(needed "$sysroot$(resolve "$found")")" | sed '/^$/d')
    fi
  done
  libs=$(echo "$libs" | sort -u)
fi
if [ -z "$libs" ]; then
  echo "container-rootfs: found no shared objects for $binary; expected a dynamically linked glibc binary" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/etc" "$out/tmp" "$out/run" "$out/var/lib/ddns"
chmod 1777 "$out/tmp"
chmod 0755 "$out/var/lib/ddns"
cp "$binary" "$out/ddnsd"
chmod 0755 "$out/ddnsd"
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  if [ -z "$sysroot" ]; then cp -L "$lib" "$out$lib"; else cp "$sysroot$(resolve "$lib")" "$out$lib"; fi
done

printf '%s\n' "root:x:0:0:root:/root:/sbin/nologin" "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" >"$out/etc/passwd"
printf '%s\n' "root:x:0:" "nonroot:x:65532:" >"$out/etc/group"
echo "hosts: files dns" >"$out/etc/nsswitch.conf"

# Self-check: the collected loader and libraries alone run the binary (qemu-user's -L makes OUT_DIR the root in
# which the loader and the libraries are looked up).
if [ "$(uname -m)" = "$native" ]; then
  libdirs=$(for lib in $libs; do dirname "$lib"; done | sort -u | sed "s|^|$out|" | paste -sd: -)
  if ! "$out$loader" --library-path "$libdirs" "$out/ddnsd" --version >/dev/null; then
    echo "container-rootfs: $out/ddnsd does not run with the collected libraries" >&2
    exit 1
  fi
elif command -v "$qemu" >/dev/null 2>&1; then
  if ! "$qemu" -L "$out" "$out/ddnsd" --version >/dev/null; then
    echo "container-rootfs: $out/ddnsd does not run under $qemu with the collected libraries" >&2
    exit 1
  fi
else
  echo "container-rootfs: $out/ddnsd was not run as a check: $qemu is not installed (Debian package qemu-user-static)" >&2
fi

echo "container-rootfs: $out ($(du -sh "$out" | cut -f1)): ddnsd + $(echo "$libs" | wc -l) shared objects"
