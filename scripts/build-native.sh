#!/bin/sh
# Builds berth's one C program, dist/libexec/berth-idmap (id-mapped layer views for --userns auto;
# source in src/runtime/userns/berth-idmap.c). Run by `npm run build`; rebuilds only when the
# source is newer. Without gcc it says so and builds nothing: everything but --userns auto works.
set -eu
cd "$(dirname "$0")/.."
src=src/runtime/userns/berth-idmap.c
out=dist/libexec/berth-idmap
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "build-native.sh: gcc not found; $out not built (--userns auto needs it; scripts/install.sh installs gcc)" >&2
  exit 0
fi
mkdir -p dist/libexec
gcc -O2 -Wall -Wextra -Werror -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
