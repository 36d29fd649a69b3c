#!/usr/bin/env -S node --max-semi-space-size=1
// A small young generation: berthd is long-lived and mostly idle; this keeps its RSS ~10 MB lower.
// berthd, the berth daemon: runs the compiled daemon (npm run build writes dist/).
import { main } from '../dist/src/daemon/berthd.js';

process.exitCode = await main(process.argv);
