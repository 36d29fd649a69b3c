// A webhook receiver on loopback for the alert tests: a node:http server that records every body
// posted to /hook, in Alertmanager's webhook format.
import { createServer, type Server } from 'node:http';

export interface Notification {
  version: string; groupKey: string; truncatedAlerts: number; status: string; receiver: string; externalURL: string;
  groupLabels: Record<string, string>; commonLabels: Record<string, string>; commonAnnotations: Record<string, string>;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }[];
}

/** The webhook receiver: records every body posted to /hook. */
export class Receiver {
  readonly received: Notification[] = [];
  #server: Server | undefined;

  constructor(readonly port: number) {}

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => {
        if (req.method === 'POST' && req.url === '/hook') this.received.push(JSON.parse(text) as Notification);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => { server.listen(this.port, '127.0.0.1', resolve); });
    this.#server = server;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => { server.close(resolve); });
  }

  /** The alerts received for container `name`, as `<alertname>:<status>`. */
  of(name: string): string[] {
    return this.received.flatMap((n) => n.alerts.filter((a) => a.labels.name === name).map((a) => `${a.labels.alertname ?? ''}:${a.status}`));
  }
}
