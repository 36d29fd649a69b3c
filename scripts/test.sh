#!/usr/bin/env bash
# Installs everything (as scripts/install.sh --test) and runs the whole suite: lint, typecheck,
# unit tests, root integration tests and end-to-end tests, then every fuzz target for a
# three-minute time box in all (fuzz/README.md). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
npm run --silent lint
npm run --silent typecheck
node scripts/run-tests.mjs all
node scripts/fuzz.mjs --time-box 180
