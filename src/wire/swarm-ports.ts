/** A service's published ports on the wire: Docker's PortConfig (EndpointSpec.Ports, Endpoint.Ports). */
import { z } from 'zod';
import { integerSchema } from './integers.js';

/** A published port (Docker's PortConfig) as a client sends it. */
export const portConfigSchema = z.object({
  Name: z.string().nullish(),
  Protocol: z.string().nullish(),
  TargetPort: integerSchema.nullish(),
  PublishedPort: integerSchema.nullish(),
  PublishMode: z.string().nullish(),
});

/** A published port as berthd shows it (PublishedPort left out when the spec leaves it to the cluster). */
export interface SwarmPortConfig {
  Protocol: 'tcp' | 'udp';
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: 'ingress' | 'host';
}
