// The load loop of bench/overlay-vip.ts, run inside a client container's network namespace
// (`nsenter --net=/proc/<pid>/ns/net node dist/bench/overlay-load.js HOST SECONDS CONCURRENCY [PORT]`):
// new connections to http://HOST:PORT/ (port 80 by default; through the namespace's own routes and rules, as the
// container's would go), printed as one JSON line (LoadResult). Only containers the benchmark made.
import { httpLoad } from './http-load.js';

const [host = '', seconds = '5', concurrency = '8', port = '80'] = process.argv.slice(2);
const result = await httpLoad({ host, port: Number(port), seconds: Number(seconds), concurrency: Number(concurrency), keepAlive: false });
process.stdout.write(`${JSON.stringify(result)}\n`);
