#!/usr/bin/env node
// berthd, the berth daemon: runs the compiled daemon (npm run build writes dist/).
import { main } from '../dist/src/daemon/berthd.js';

process.exitCode = await main(process.argv);
