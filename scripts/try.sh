#!/usr/bin/env bash
# Installs everything and runs berth's main job: make first images (busybox from the host's
# busybox-static, and a minimal Debian made with debootstrap from this host's apt mirror: no
# registry needed), start the daemon, and run containers. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
berth() { node bin/berth.js "$@"; }
ROOT=/var/lib/berth
SOCKET=/run/berth/berth.sock

# Images are made in-process on the state root (several processes may share it).
for image in busybox:latest debian:bookworm; do
  if ! berth --root "$ROOT" image inspect "$image" >/dev/null 2>&1; then
    berth --root "$ROOT" image bootstrap "${image%:latest}"
  fi
done

# The daemon: under systemd when it runs this machine, else in the background.
if ! curl -sf --unix-socket "$SOCKET" http://berth/_ping >/dev/null 2>&1; then
  if [ "$(cat /proc/1/comm)" = systemd ]; then
    install -m 0644 deploy/berthd.service /etc/systemd/system/berthd.service
    systemctl daemon-reload
    systemctl enable --now berthd
  else
    nohup node bin/berthd.js --root "$ROOT" --socket "$SOCKET" >>/var/log/berthd.log 2>&1 &
  fi
  for _ in $(seq 1 100); do
    curl -sf --unix-socket "$SOCKET" http://berth/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
echo "berthd is serving $SOCKET"
echo
berth images
echo
berth run --rm --network none busybox echo "hello from a berth container"
berth run --rm --network none debian:bookworm sh -c '. /etc/os-release; echo "$PRETTY_NAME in $(hostname), as $(id -un)"'
berth run -d --name berth-first --network none busybox sh -c 'while true; do date; sleep 5; done' >/dev/null
berth ps
berth logs berth-first
berth rm -f berth-first >/dev/null
echo
echo "The docker CLI works too: DOCKER_HOST=unix://$SOCKET docker ps"
