// The Docker Engine API over a unix socket with plain node:http, as the cluster benchmarks read it
// from dockerd (Swarm) and from berthd alike: one code path for both, so that polling costs the
// same on each side. Paths are sent under /v1.41, the newest version Debian's dockerd 20.10 speaks
// (berthd accepts it too).
import { request } from 'node:http';

const API_PREFIX = '/v1.41';

/** A task as `GET /tasks` lists it (the fields the benchmarks read). */
export interface ApiTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  DesiredState: string;
  Status: { State: string; ContainerStatus?: { ContainerID?: string } };
}

/** A node as `GET /nodes` lists it. */
export interface ApiNode {
  ID: string;
  Description: { Hostname?: string };
}

/** A container as `GET /containers/json` lists it. */
export interface ApiContainer {
  Id: string;
  Labels: Record<string, string> | null;
}

/** `GET path` on the socket, parsed as JSON; throws on a non-2xx answer (with its body) or after `timeoutMs`. */
export function getJson<T>(socketPath: string, path: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: `${API_PREFIX}${path}`, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          reject(new Error(`GET ${path} on ${socketPath}: ${status} ${body.trim()}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as T);
        } catch (err) {
          reject(new Error(`GET ${path} on ${socketPath}: not JSON`, { cause: err }));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => { req.destroy(new Error(`GET ${path} on ${socketPath}: no answer in ${timeoutMs} ms`)); });
    req.on('error', reject);
    req.end();
  });
}

/** The tasks of one service (by id or name) whose desired state is running. */
export function serviceTasks(socketPath: string, service: string): Promise<ApiTask[]> {
  const filters = encodeURIComponent(JSON.stringify({ service: [service], 'desired-state': ['running'] }));
  return getJson<ApiTask[]>(socketPath, `/tasks?filters=${filters}`);
}

/** Every container the engine lists (running or not). */
export function allContainers(socketPath: string): Promise<ApiContainer[]> {
  return getJson<ApiContainer[]>(socketPath, '/containers/json?all=1');
}

/** The container's main process on the host (`State.Pid` of its inspect; 0 when it does not run). */
export async function containerPid(socketPath: string, id: string): Promise<number> {
  const inspected = await getJson<{ State: { Pid?: number } }>(socketPath, `/containers/${encodeURIComponent(id)}/json`);
  return inspected.State.Pid ?? 0;
}
