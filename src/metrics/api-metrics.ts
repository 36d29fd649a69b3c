/**
 * The API's metrics: requests by route pattern (`/containers/:id/start`, never the raw URL, so
 * series stay few) and status, with a latency histogram; and, from the same requests, the
 * latency of the operations a user waits for: container starts, image pulls, pushes and builds.
 * A streamed answer (pull, push, build) is timed until its last byte. The bytes those three move
 * are counted by their routes (`transferred`).
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export type Operation = 'start' | 'pull' | 'push' | 'build';
/** The operations that move image bytes: pulled and pushed layers, build contexts received. */
export type Transfer = 'pull' | 'push' | 'build';

/** The operation a finished request was, from its method, route pattern, path and status; undefined for others. */
export function operationOf(method: string, route: string, path: string, status: number): Operation | undefined {
  if (method !== 'POST' || status >= 300) return undefined;
  if (route === '/containers/:id/start') return status === 204 ? 'start' : undefined;
  if (route === '/images/create') return /[?&]fromImage=/.test(path) ? 'pull' : undefined;
  if (route === '/images/*') return /\/push(\?|$)/.test(path) ? 'push' : undefined;
  if (route === '/build') return 'build';
  return undefined;
}

export class ApiMetrics {
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #durations: Histogram<'method' | 'route'>;
  readonly #operations: Record<Operation, Histogram>;
  readonly #bytes: Record<Transfer, Counter>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#requests = new Counter({ name: 'berth_api_requests_total', help: 'API requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.#durations = new Histogram({ name: 'berth_api_request_duration_seconds', help: 'API request latency by method and route pattern (streamed answers until their end)', labelNames: ['method', 'route'], buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60], registers });
    const long = [0.1, 0.5, 1, 5, 15, 60, 300, 1800];
    this.#operations = {
      start: new Histogram({ name: 'berth_container_start_duration_seconds', help: 'Time to start a container on request (POST /containers/{id}/start)', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers }),
      pull: new Histogram({ name: 'berth_image_pull_duration_seconds', help: 'Duration of image pulls through the API', buckets: long, registers }),
      push: new Histogram({ name: 'berth_image_push_duration_seconds', help: 'Duration of image pushes through the API', buckets: long, registers }),
      build: new Histogram({ name: 'berth_image_build_duration_seconds', help: 'Duration of image builds through the API', buckets: long, registers }),
    };
    this.#bytes = {
      pull: new Counter({ name: 'berth_image_pull_bytes_total', help: 'Layer bytes downloaded by pulls through the API (layers already stored count nothing)', registers }),
      push: new Counter({ name: 'berth_image_push_bytes_total', help: 'Layer bytes uploaded by pushes through the API (layers the registry had count nothing)', registers }),
      build: new Counter({ name: 'berth_build_context_bytes_total', help: 'Build context bytes received by builds through the API', registers }),
    };
  }

  /** Counts bytes a pull, push or build moved (also when it failed part way: they were moved). */
  transferred(transfer: Transfer, bytes: number): void {
    if (bytes > 0) this.#bytes[transfer].inc(bytes);
  }

  /** Records one finished request. `route` is the matched pattern, or undefined when none matched. */
  observe(method: string, route: string | undefined, path: string, status: number, seconds: number): void {
    const pattern = route ?? 'unmatched';
    this.#requests.inc({ method, route: pattern, status: String(status) });
    this.#durations.observe({ method, route: pattern }, seconds);
    const operation = operationOf(method, pattern, path, status);
    if (operation !== undefined) this.#operations[operation].observe(seconds);
  }
}
