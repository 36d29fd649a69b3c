#!/bin/sh
# Builds berth's C programs into dist/libexec (run by `npm run build`; each rebuilt only when its
# source is newer): berth-idmap, id-mapped layer views for --userns auto
# (src/runtime/userns/berth-idmap.c), berth-peercred, the uid of a socket peer of berthd's API
# (src/api/access/berth-peercred.c), berth-mount, berthd's mount and umount system calls
# without a process each (src/mount/berth-mount.c), and berth-watch, what containers' processes
# do, for runtime detection (src/security/detection/berth-watch.c). Without gcc it says so and
# builds nothing: everything but --userns auto, telling socket users apart (berthd --socket-role)
# and runtime detection (berthd --detect) works, and berthd runs mount and umount instead.
# BERTH_LIBEXEC_DIR overrides the output directory (a build into another outDir).
set -eu
cd "$(dirname "$0")/.."
dir=${BERTH_LIBEXEC_DIR:-dist/libexec}
build() {
  src=$1
  out=$dir/$2
  if [ -x "$out" ] && [ "$out" -nt "$src" ]; then return 0; fi
  if ! command -v gcc >/dev/null 2>&1; then
    echo "build-native.sh: gcc not found; $out not built (scripts/install.sh installs gcc)" >&2
    return 0
  fi
  mkdir -p "$dir"
  gcc -O2 -Wall -Wextra -Werror -o "$out.tmp" "$src"
  mv "$out.tmp" "$out"
}
build src/runtime/userns/berth-idmap.c berth-idmap
build src/api/access/berth-peercred.c berth-peercred
build src/mount/berth-mount.c berth-mount
build src/security/detection/berth-watch.c berth-watch
