// A small HTTP load loop for benchmarks: `concurrency` lanes, each sending GET / to host:port
// (127.0.0.1 unless given: a container's address when the loop runs in its network namespace)
// one after another for `seconds`, on a new connection per request (keep-alive off) or on one
// kept-alive connection per lane. Counts completed 2xx answers and failures, and the 99th
// percentile of the completed requests' latency.
import { Agent, get } from 'node:http';
import { percentile } from './stats.js';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Completed requests per second. */
  rps: number;
  /** 99th percentile latency of the completed requests, in milliseconds. */
  p99Ms: number;
}

export interface LoadOptions {
  /** Default 127.0.0.1. */
  host?: string;
  port: number;
  seconds: number;
  concurrency: number;
  keepAlive: boolean;
}

function once(port: number, agent: Agent | false, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get({ host, port, path: '/', agent, timeout: 5000 }, (response) => {
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
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const lane = async (): Promise<void> => {
    const agent = options.keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : false;
    try {
      while (performance.now() < deadline) {
        const sent = performance.now();
        if (await once(options.port, agent, options.host)) {
          requests++;
          latencies.push(performance.now() - sent);
        } else errors++;
      }
    } finally {
      if (agent !== false) agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - start) / 1000;
  return { requests, errors, seconds, rps: requests / seconds, p99Ms: latencies.length === 0 ? 0 : percentile(latencies, 99) };
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
