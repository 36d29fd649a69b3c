/**
 * The networking flags of `run` / `create` → the create body's HostConfig fields and
 * NetworkingConfig, as the docker CLI sends them. Throws invalid-argument naming the flag.
 */
import { errors } from '../../base/errors.js';
import type { HostConfig } from '../../client/container-types.js';
import { parsePublishSpec, toDockerPortBindings } from '../../network/port-spec.js';
import type { CreateFlags } from './container-flags.js';

type NetworkFlags = Pick<CreateFlags, 'network' | 'publish' | 'publishAll' | 'dns' | 'dnsSearch' | 'addHost' | 'networkAlias'>;

export function networkingFromFlags(flags: NetworkFlags): {
  host: Pick<HostConfig, 'PortBindings' | 'PublishAllPorts' | 'Dns' | 'DnsSearch' | 'ExtraHosts'>;
  networkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
} {
  for (const entry of flags.addHost) {
    if (!/^[^:\s]+:\S+$/.test(entry)) throw errors.invalidArgument('invalid-flag', `--add-host ${entry}: want name:ip`);
  }
  const bindings = flags.publish.flatMap((p) => parsePublishSpec(p));
  const host = {
    PortBindings: bindings.length === 0 ? undefined : toDockerPortBindings(bindings),
    PublishAllPorts: flags.publishAll === true ? true : undefined,
    Dns: flags.dns.length === 0 ? undefined : flags.dns,
    DnsSearch: flags.dnsSearch.length === 0 ? undefined : flags.dnsSearch,
    ExtraHosts: flags.addHost.length === 0 ? undefined : flags.addHost,
  };
  const network = flags.network ?? 'bridge';
  if (flags.networkAlias.length === 0) return { host };
  if (network === 'bridge' || network === 'default' || network === 'none' || network === 'host' || network.startsWith('container:')) {
    throw errors.invalidArgument('invalid-flag', '--network-alias: only user-defined networks have aliases');
  }
  return { host, networkingConfig: { EndpointsConfig: { [network]: { Aliases: flags.networkAlias } } } };
}
