#!/bin/sh
# Collects the complete root filesystem of the ddnsd container image into OUT_DIR:
#   /ddnsd                     the compiled binary (bun build --compile)
#   its glibc shared objects   exactly what `ldd` resolves (the loader, libc, libm, libdl, libpthread), at the
#                              same paths, so the loader's built-in search path finds them without /etc/ld.so.cache
#   /etc/passwd, /etc/group    root and nonroot (65532), the user the image runs as
#   /etc/nsswitch.conf         "hosts: files dns" for name resolution without NSS modules
#   /tmp (1777), /run          mount points: podman's --read-only puts tmpfs on them only where they exist
#                              (and mounts secrets under /run/secrets)
#   /var/lib/ddns              the state directory (the image's volume; the Containerfile gives it to 65532)
#
# Used twice, so that both ways produce the same image: by the Containerfile's builder stage, and on a host that
# cannot pull the builder image (CI), followed by `podman build --build-context rootfs=OUT_DIR` (docs/OPS.md).
#
# usage: scripts/container-rootfs.sh BINARY OUT_DIR      (POSIX sh; needs ldd; OUT_DIR is replaced)
set -eu

binary=${1:?usage: container-rootfs.sh BINARY OUT_DIR}
out=${2:?usage: container-rootfs.sh BINARY OUT_DIR}

if [ ! -x "$binary" ]; then
  echo "container-rootfs: $binary is not an executable file (run \"bun run build\" first)" >&2
  exit 1
fi
if ! command -v ldd >/dev/null 2>&1; then
  echo "container-rootfs: ldd is missing (Debian package libc-bin)" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/etc" "$out/tmp" "$out/run" "$out/var/lib/ddns"
chmod 1777 "$out/tmp"
chmod 0755 "$out/var/lib/ddns"
cp "$binary" "$out/ddnsd"
chmod 0755 "$out/ddnsd"

# Every absolute path ldd prints: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux….so.2 (0x…)".
libs=$(ldd "$binary" | awk '{ for (i = 1; i <= NF; i++) if (substr($i, 1, 1) == "/") print $i }' | sort -u)
if [ -z "$libs" ]; then
  echo "container-rootfs: ldd found no shared objects for $binary; expected a dynamically linked glibc binary" >&2
  exit 1
fi
loader=""
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  case "$lib" in */ld-linux*) loader=$lib ;; esac
done

cat >"$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$out/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
echo "hosts: files dns" >"$out/etc/nsswitch.conf"

# Self-check: the collected loader and libraries alone run the binary.
if [ -n "$loader" ]; then
  libdirs=$(for lib in $libs; do dirname "$lib"; done | sort -u | sed "s|^|$out|" | paste -sd: -)
  if ! "$out$loader" --library-path "$libdirs" "$out/ddnsd" --version >/dev/null; then
    echo "container-rootfs: $out/ddnsd does not run with the collected libraries" >&2
    exit 1
  fi
fi

echo "container-rootfs: $out ($(du -sh "$out" | cut -f1)): ddnsd + $(echo "$libs" | wc -l) shared objects"
