/**
 * The three files berth writes for every container and bind-mounts over the image's: /etc/hosts,
 * /etc/hostname and /etc/resolv.conf. Pure: callers pass in what the host has.
 */

export interface EtcFilesInput {
  hostname: string;
  domainname?: string | undefined;
  /** `none`: only loopback in the container. `host`: the host's network (and its files). */
  networkMode: 'none' | 'host';
  /** The host's /etc/hosts and /etc/resolv.conf, for host networking. */
  hostHosts?: string;
  hostResolvConf?: string;
}

export interface EtcFiles {
  hosts: string;
  hostname: string;
  resolvConf: string;
}

const LOOPBACK_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/**
 * Docker's choices: with host networking the host's hosts and resolv.conf are copied; with no
 * network the hosts file has loopback entries (and the container's own name on 127.0.0.1, so
 * `hostname -f` resolves) and resolv.conf keeps only the host's search/options lines, without
 * nameservers that could not be reached anyway.
 */
export function etcFiles(input: EtcFilesInput): EtcFiles {
  const fqdn = input.domainname !== undefined && input.domainname !== '' ? `${input.hostname}.${input.domainname}` : undefined;
  const hostname = `${input.hostname}\n`;
  if (input.networkMode === 'host') {
    return { hosts: input.hostHosts ?? `${LOOPBACK_HOSTS.join('\n')}\n`, hostname, resolvConf: input.hostResolvConf ?? '' };
  }
  const self = fqdn === undefined ? input.hostname : `${fqdn} ${input.hostname}`;
  const hosts = `${[...LOOPBACK_HOSTS, `127.0.0.1\t${self}`].join('\n')}\n`;
  const kept = (input.hostResolvConf ?? '').split('\n').filter((line) => /^\s*(search|domain|options)\b/.test(line));
  return { hosts, hostname, resolvConf: kept.length === 0 ? '' : `${kept.join('\n')}\n` };
}
