// A small HTTP load loop for benchmarks: `concurrency` lanes, each sending GET / to 127.0.0.1:port
// one after another for `seconds`, on a new connection per request (keep-alive off) or on one
// kept-alive connection per lane. Counts completed 2xx answers and failures; loopback only.
import { Agent, get } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Completed requests per second. */
  rps: number;
}

export interface LoadOptions {
  port: number;
  seconds: number;
  concurrency: number;
  keepAlive: boolean;
}

function once(port: number, agent: Agent | false): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/', agent, timeout: 5000 }, (response) => {
      response.resume();
      response.on('end', () => { resolve(response.statusCode === 200); });
      response.on('error', () => { resolve(false); });
    });
    request.on('timeout', () => { request.destroy(); });
    request.on('error', () => { resolve(false); });
  });
}

export async function httpLoad(options: LoadOptions): Promise<LoadResult> {
  let requests = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const lane = async (): Promise<void> => {
    const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
    try {
      while (performance.now() < deadline) {
        if (await once(options.port, agent)) requests++;
        else errors++;
      }
    } finally {
      if (agent !== false) agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  return { requests, errors, seconds, rps: requests / seconds };
}

/** True once GET / on the port answers 200 (bounded retries). */
export async function waitForHttp(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await once(port, false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
