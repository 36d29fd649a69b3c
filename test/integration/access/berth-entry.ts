// The berth CLI of the build this file is compiled into (the tests run `node berth-entry.js …`).
import { main } from '../../../src/daemon/berth-main.js';

process.exitCode = await main(process.argv);
