import { z } from 'zod';

/**
 * A port a service publishes (Swarm's PortConfig): `ingress` mode publishes it on every node of
 * the cluster through the routing mesh (a node without tasks forwards to one that has some, and
 * the client's address is rewritten on the way); `host` mode publishes it only on the nodes that
 * run a task, straight to that task, keeping the client's address.
 */
export const PUBLISH_MODES = ['ingress', 'host'] as const;
export type PublishMode = (typeof PUBLISH_MODES)[number];
export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

const port = z.number().int().min(1, { error: 'a port is 1 to 65535' }).max(65535, { error: 'a port is 1 to 65535' });

export const publishedPortSchema = z.object({
  protocol: z.enum(PORT_PROTOCOLS).default('tcp'),
  /** The port inside the task's container. */
  targetPort: port,
  /** The port on the nodes; absent: the cluster picks a free one (ingress: from 30000 up, host: the node's). */
  publishedPort: port.optional(),
  publishMode: z.enum(PUBLISH_MODES).default('ingress'),
});
export type PublishedPort = z.infer<typeof publishedPortSchema>;

/** The first port the cluster hands out to ingress ports published without one (Swarm's range). */
export const DYNAMIC_PORT_FIRST = 30000;
export const DYNAMIC_PORT_LAST = 32767;

/** `8080/tcp`: how a published port is named in messages and claim ids. */
export function portKey(protocol: PortProtocol, published: number): string {
  return `${String(published)}/${protocol}`;
}
