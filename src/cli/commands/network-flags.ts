/**
 * The networking flags of `run` / `create` → the create body's HostConfig fields and
 * NetworkingConfig, as the docker CLI sends them. Throws invalid-argument naming the flag.
 */
import { errors } from '../../base/errors.js';
import type { HostConfig } from '../../wire/containers.js';
import { parsePortKey, parsePublishSpec, toDockerPortBindings } from '../../wire/port-specs.js';
import type { CreateFlags } from './container-flags.js';

type NetworkFlags = Pick<CreateFlags, 'network' | 'publish' | 'publishAll' | 'dns' | 'dnsSearch' | 'addHost' | 'networkAlias' | 'ip' | 'macAddress' | 'expose'>;

/** One endpoint's settings as the create body and the connect body carry them. */
export interface EndpointSettings { Aliases?: string[]; IPAMConfig?: { IPv4Address: string }; MacAddress?: string }

export function networkingFromFlags(flags: NetworkFlags): {
  host: Pick<HostConfig, 'PortBindings' | 'PublishAllPorts' | 'Dns' | 'DnsSearch' | 'ExtraHosts'>;
  networkingConfig?: { EndpointsConfig: Record<string, EndpointSettings> };
  exposedPorts?: Record<string, Record<string, never>>;
  macAddress?: string;
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
  const exposed = flags.expose.flatMap((e) => parsePortKey(e, '--expose')).map((p) => `${p.port}/${p.protocol}`);
  const out: ReturnType<typeof networkingFromFlags> = { host };
  if (exposed.length > 0) out.exposedPorts = Object.fromEntries(exposed.map((k) => [k, {}]));
  if (flags.macAddress !== undefined && flags.macAddress !== '') out.macAddress = flags.macAddress;
  const network = flags.network ?? 'bridge';
  const endpoint: EndpointSettings = {};
  if (flags.networkAlias.length > 0) {
    if (network === 'bridge' || network === 'default' || network === 'none' || network === 'host' || network.startsWith('container:')) {
      throw errors.invalidArgument('invalid-flag', '--network-alias: only user-defined networks have aliases');
    }
    endpoint.Aliases = flags.networkAlias;
  }
  if (flags.ip !== undefined && flags.ip !== '') endpoint.IPAMConfig = { IPv4Address: flags.ip };
  if (Object.keys(endpoint).length > 0) out.networkingConfig = { EndpointsConfig: { [network]: endpoint } };
  return out;
}
