/**
 * An HTTP proxy on 127.0.0.1 (port 0) in front of a registry, for tests of failures in transit:
 * for a blob GET the test's `plan` may cut the connection or stall it after some bytes. Everything
 * else passes through as it is.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BlobPlan = { action: 'pass' } | { action: 'cut' | 'stall'; afterBytes: number };

export interface SeenBlobRequest {
  path: string;
  range: string | undefined;
}

export class FlakyProxy {
  readonly blobRequests: SeenBlobRequest[] = [];
  /** Bytes of blob bodies sent to clients so far. */
  blobBytesSent = 0;

  private constructor(private readonly server: Server, readonly host: string) {}

  static async start(target: string, plan: (request: SeenBlobRequest, index: number) => BlobPlan): Promise<FlakyProxy> {
    const holder: { proxy?: FlakyProxy } = {};
    const server = createServer((req, res) => {
      const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '');
      const seen = { path: req.url ?? '', range: req.headers.range };
      const proxy = holder.proxy;
      const step: BlobPlan = isBlob && proxy ? plan(seen, proxy.blobRequests.push(seen) - 1) : { action: 'pass' };
      const upstream = request({ host: target.split(':')[0], port: Number(target.split(':')[1]), method: req.method, path: req.url, headers: { ...req.headers, host: target } }, (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (step.action !== 'pass' && sent + chunk.length > step.afterBytes) {
            const part = chunk.subarray(0, Math.max(0, step.afterBytes - sent));
            res.write(part);
            sent += part.length;
            if (isBlob && proxy) proxy.blobBytesSent += part.length;
            answer.destroy();
            if (step.action === 'cut') res.socket?.destroy();
            return; // stall: keep the connection open, send nothing more
          }
          sent += chunk.length;
          if (isBlob && proxy) proxy.blobBytesSent += chunk.length;
          res.write(chunk);
        });
        answer.on('end', () => res.end());
      });
      upstream.on('error', () => res.socket?.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new FlakyProxy(server, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    holder.proxy = proxy;
    return proxy;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
