#!/usr/bin/env node
// The berth executable: runs the compiled CLI with its in-process parts (daemon/berth-main.ts; npm run build writes dist/).
// It runs the bundle of scripts/bundle-cli.mjs (a faster start) unless tsc built dist/ after it.
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundled = mtime('../dist/cli-bundle/berth.js') >= mtime('../dist/.tsbuildinfo');
const { main } = bundled ? await import('../dist/cli-bundle/berth.js') : await import('../dist/src/daemon/berth-main.js');

process.exitCode = await main(process.argv);
