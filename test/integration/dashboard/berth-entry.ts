// The berth CLI from the build this file was compiled into. Arguments as bin/berth.js takes them.
import { main } from '../../../src/daemon/berth-main.js';

process.exitCode = await main(process.argv);
