/**
 * Cluster networks on the wire: a service's network attachment as a client sends it
 * (TaskTemplate.Networks) and a cluster network as a task's NetworksAttachments show it.
 */
import { z } from 'zod';

/** One network of a service (`--network name=web,alias=www`): its name or id, and aliases there. */
export const networkAttachmentConfigSchema = z.object({
  Target: z.string().nullish(),
  Aliases: z.array(z.string()).nullish(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
});

/** A cluster network as `GET /networks/{id}` shows it on a manager (Docker's Network, scope swarm). */
export interface SwarmNetwork {
  ID: string;
  Version: { Index: number };
  CreatedAt: string;
  UpdatedAt: string;
  Spec: {
    Name: string;
    Labels: Record<string, string>;
    DriverConfiguration: { Name: 'overlay'; Options?: Record<string, string> };
    IPAMOptions: { Driver: { Name: 'default' }; Configs: { Subnet: string; Gateway: string }[] };
    Internal?: boolean;
    Attachable?: boolean;
    Scope: 'swarm';
  };
  DriverState: { Name: 'overlay'; Options: Record<string, string> };
  IPAMOptions: { Driver: { Name: 'default' }; Configs: { Subnet: string; Gateway: string }[] };
}
