import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The registry's Prometheus metrics (`/metrics`), on a registry of their own so several
 * registries in one process (tests, berthd) never share counters.
 */
export class RegistryMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'berth_registry_http_requests_total', help: 'HTTP requests by method, endpoint family and status', labelNames: ['method', 'family', 'status'], registers: [this.registry] });
  private readonly durations = new Histogram({ name: 'berth_registry_http_request_duration_seconds', help: 'HTTP request duration by endpoint family', labelNames: ['family'], buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60], registers: [this.registry] });
  private readonly served = new Counter({ name: 'berth_registry_blob_bytes_served_total', help: 'Blob bytes sent to clients', registers: [this.registry] });
  private readonly pushes = new Counter({ name: 'berth_registry_pushes_total', help: 'Completed pushes by kind', labelNames: ['kind'], registers: [this.registry] });
  private readonly pulls = new Counter({ name: 'berth_registry_manifest_pulls_total', help: 'Manifests sent to clients', registers: [this.registry] });
  private readonly gcRemoved = new Counter({ name: 'berth_registry_gc_removed_total', help: 'What garbage collection removed', labelNames: ['what'], registers: [this.registry] });

  request(method: string, family: string, status: number, seconds: number): void {
    this.requests.inc({ method, family, status: String(status) });
    this.durations.observe({ family }, seconds);
  }

  blobBytesServed(bytes: number): void {
    this.served.inc(bytes);
  }

  blobPushed(): void {
    this.pushes.inc({ kind: 'blob' });
  }

  manifestPushed(): void {
    this.pushes.inc({ kind: 'manifest' });
  }

  manifestPulled(): void {
    this.pulls.inc();
  }

  collected(manifests: number, blobs: number): void {
    this.gcRemoved.inc({ what: 'manifests' }, manifests);
    this.gcRemoved.inc({ what: 'blobs' }, blobs);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
