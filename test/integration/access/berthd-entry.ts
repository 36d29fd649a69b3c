// berthd of the build this file is compiled into (the tests start it with `node berthd-entry.js …`).
import { main } from '../../../src/daemon/berthd.js';

process.exitCode = await main(process.argv);
