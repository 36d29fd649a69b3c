/**
 * /etc/hosts and /etc/resolv.conf of a container on bridge networks, pure: loopback entries, the
 * container's own addresses (IPv4, and IPv6 when its network has it) and names, `--add-host`
 * entries (`host-gateway` = its network's gateway); the nameserver is berth's DNS on the gateway
 * unless `--dns` says otherwise.
 */

export interface NetworkEtcInput {
  hostname: string;
  domainname?: string | undefined;
  /** The container's address on its first network; undefined before it has one. */
  ip?: string | undefined;
  /** Its IPv6 address there, when the network has IPv6. */
  ip6?: string | undefined;
  gateway: string;
  extraHosts: readonly string[];
  /** The lines of its legacy links (`<ip>\t<alias> <hostname> <name>`), after the extra hosts. */
  linkHosts?: readonly string[];
  dns: readonly string[];
  dnsSearch: readonly string[];
  /** The host's resolv.conf, for its search/options lines. */
  hostResolvConf?: string | undefined;
}

const LOOPBACK = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'ff00::0\tip6-mcastprefix', 'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters'];

export function networkHosts(input: NetworkEtcInput): string {
  const lines = [...LOOPBACK];
  for (const entry of input.extraHosts) {
    const at = entry.indexOf(':');
    if (at <= 0) continue;
    const ip = entry.slice(at + 1);
    lines.push(`${ip === 'host-gateway' ? input.gateway : ip}\t${entry.slice(0, at)}`);
  }
  lines.push(...(input.linkHosts ?? []));
  const fqdn = input.domainname !== undefined && input.domainname !== '' ? `${input.hostname}.${input.domainname} ` : '';
  for (const ip of [input.ip, input.ip6]) if (ip !== undefined && ip !== '') lines.push(`${ip}\t${fqdn}${input.hostname}`);
  return `${lines.join('\n')}\n`;
}

export function networkResolvConf(input: NetworkEtcInput): string {
  const servers = input.dns.length > 0 ? input.dns : [input.gateway];
  const lines = servers.map((s) => `nameserver ${s}`);
  const hostLines = (input.hostResolvConf ?? '').split('\n');
  const search = input.dnsSearch.length > 0 ? [`search ${input.dnsSearch.join(' ')}`] : hostLines.filter((l) => /^\s*(search|domain)\b/.test(l));
  lines.push(...search, ...hostLines.filter((l) => /^\s*options\b/.test(l)));
  return `${lines.join('\n')}\n`;
}
