// berthd from the build this file was compiled into (dist/ or another output dir), so the
// dashboard tests exercise the daemon compiled with them. Arguments as bin/berthd.js takes them.
import { main } from '../../../src/daemon/berthd.js';

process.exitCode = await main(process.argv);
