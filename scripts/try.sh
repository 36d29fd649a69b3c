#!/usr/bin/env bash
# Installs everything and runs berth's main job: make a first image (a minimal Debian made with
# debootstrap from this host's apt mirror, no registry needed) and show it. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
berth() { node bin/berth.js "$@"; }
if ! berth image inspect debian:bookworm >/dev/null 2>&1; then
  berth image bootstrap debian:bookworm
fi
if ! berth image inspect busybox:latest >/dev/null 2>&1; then
  berth image bootstrap busybox
fi
echo
berth images
echo
berth image history debian:bookworm
echo
berth system df
