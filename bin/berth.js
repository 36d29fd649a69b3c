#!/usr/bin/env node
// The berth executable: runs the compiled CLI with its in-process parts (daemon/berth-main.ts; npm run build writes dist/).
import { main } from '../dist/src/daemon/berth-main.js';

process.exitCode = await main(process.argv);
