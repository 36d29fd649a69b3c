/**
 * The networking part of `POST /containers/create`: HostConfig.NetworkMode (`default`/`bridge`,
 * a network name or id, `container:<name|id>`, `none`, `host`), NetworkingConfig.EndpointsConfig
 * (more networks, aliases), PortBindings, PublishAllPorts, Dns, DnsSearch, ExtraHosts.
 * A create without a NetworkMode gets the default `bridge` network, as in Docker.
 */
import { z } from 'zod';
import type { ContainerNetworkRequest } from '../network/container-network.js';
import { fromDockerPortBindings } from '../network/port-spec.js';

const strings = z.array(z.string()).nullish();

export const hostConfigNetworkFields = {
  PortBindings: z.record(z.string(), z.array(z.object({ HostIp: z.string().nullish(), HostPort: z.string().nullish() })).nullable()).nullish(),
  PublishAllPorts: z.boolean().nullish(),
  Dns: strings,
  DnsSearch: strings,
  ExtraHosts: strings,
};

export const networkingConfigSchema = z.object({
  EndpointsConfig: z.record(z.string(), z.object({ Aliases: strings }).nullable()).nullish(),
}).nullish();

export interface NetworkBodyParts {
  NetworkDisabled?: boolean | null;
  NetworkingConfig?: z.infer<typeof networkingConfigSchema>;
  HostConfig?: {
    NetworkMode?: string | null;
    PortBindings?: z.infer<typeof hostConfigNetworkFields.PortBindings>;
    PublishAllPorts?: boolean | null;
    Dns?: string[] | null;
    DnsSearch?: string[] | null;
    ExtraHosts?: string[] | null;
  } | null;
}

/** `none`/`host` stay engine namespace modes; everything else becomes a network request. */
export function networkFromBody(body: NetworkBodyParts): { networkMode?: 'none' | 'host'; network?: ContainerNetworkRequest } {
  const host = body.HostConfig ?? {};
  const mode = host.NetworkMode === null || host.NetworkMode === undefined || host.NetworkMode === '' ? 'default' : host.NetworkMode;
  if (body.NetworkDisabled === true || mode === 'none') return { networkMode: 'none' };
  if (mode === 'host') return { networkMode: 'host' };
  const endpoints: NonNullable<ContainerNetworkRequest['endpoints']> = {};
  for (const [name, endpoint] of Object.entries(body.NetworkingConfig?.EndpointsConfig ?? {})) endpoints[name] = { aliases: endpoint?.Aliases ?? [] };
  const request: ContainerNetworkRequest = {
    mode,
    endpoints,
    ports: fromDockerPortBindings(host.PortBindings),
    publishAll: host.PublishAllPorts ?? false,
    dns: host.Dns ?? [],
    dnsSearch: host.DnsSearch ?? [],
    extraHosts: host.ExtraHosts ?? [],
  };
  return { network: request };
}
