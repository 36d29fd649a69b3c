/**
 * The driver options of a bridge network (`network create -o key=value`), read once into what the
 * CNI plugins take. Docker's names where Docker has one; berth's own under `berth.`:
 *
 * - `com.docker.network.driver.mtu` (or `mtu`): the MTU of the containers' interfaces.
 * - `com.docker.network.bridge.enable_icc`: `false` drops traffic between its containers.
 * - `com.docker.network.bridge.enable_ip_masquerade`: `false` sends traffic out unmasqueraded.
 * - `com.docker.network.bridge.host_binding_ipv4`: the host address of published ports that name
 *   none (`-p 8080:80`, `-P`); default all addresses.
 * - `berth.bandwidth.ingress` / `berth.bandwidth.egress`: a rate per container (`10mbit`, `1gbit`,
 *   `500kbit` or bits per second), shaped by the CNI bandwidth plugin; the burst is a tenth of a
 *   second at that rate (at least 64 KiB).
 * - `berth.sysctl.<name>`: a `net.*` sysctl set in each container's namespace (CNI tuning plugin).
 *
 * Other keys are kept and shown in inspect, but have no effect, as in Docker.
 */
import { errors } from '../base/errors.js';
import { parseIpv4 } from './ipv4.js';

export interface BandwidthLimit {
  /** Bits per second. */
  rate: number;
  /** Bits. */
  burst: number;
}

/** The option that gives published ports their default host address. */
export const HOST_BINDING_OPTION = 'com.docker.network.bridge.host_binding_ipv4';

export interface BridgeOptions {
  mtu?: number;
  /** Host address of ports published without one; '' = all addresses. */
  hostBinding: string;
  icc: boolean;
  ipMasquerade: boolean;
  ingress?: BandwidthLimit;
  egress?: BandwidthLimit;
  sysctls: Record<string, string>;
}

const UNITS: Record<string, number> = { '': 1, bit: 1, kbit: 1e3, mbit: 1e6, gbit: 1e9, tbit: 1e12, k: 1e3, m: 1e6, g: 1e9 };
const MIN_BURST_BITS = 64 * 1024 * 8;
const SYSCTL_PREFIX = 'berth.sysctl.';

function bool(options: Record<string, string>, key: string): boolean {
  const value = options[key];
  if (value === undefined || value === '' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw errors.invalidArgument('invalid-network-option', `network option ${key}: "${value}" is not true or false`);
}

function bandwidth(options: Record<string, string>, key: string): BandwidthLimit | undefined {
  const value = options[key];
  if (value === undefined || value === '') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  const rate = match !== null && unit !== undefined ? Math.round(Number(match[1]) * unit) : NaN;
  if (!Number.isSafeInteger(rate) || rate < 1000) {
    throw errors.invalidArgument('invalid-network-option', `network option ${key}: "${value}" is not a rate of at least 1kbit (e.g. 10mbit)`);
  }
  return { rate, burst: Math.max(MIN_BURST_BITS, Math.round(rate / 10)) };
}

/** Reads and checks a network's options; throws invalid-argument naming the option. */
export function bridgeOptions(options: Record<string, string>): BridgeOptions {
  const result: BridgeOptions = {
    icc: bool(options, 'com.docker.network.bridge.enable_icc'),
    ipMasquerade: bool(options, 'com.docker.network.bridge.enable_ip_masquerade'),
    hostBinding: options[HOST_BINDING_OPTION] ?? '',
    sysctls: {},
  };
  if (result.hostBinding !== '' && parseIpv4(result.hostBinding) === undefined) {
    throw errors.invalidArgument('invalid-network-option', `network option ${HOST_BINDING_OPTION}: "${result.hostBinding}" is not an IPv4 address`);
  }
  const mtuKey = options['com.docker.network.driver.mtu'] !== undefined ? 'com.docker.network.driver.mtu' : 'mtu';
  const mtu = options[mtuKey];
  if (mtu !== undefined && mtu !== '') {
    const n = Number(mtu);
    if (!Number.isInteger(n) || n < 68 || n > 65535) throw errors.invalidArgument('invalid-network-option', `network option ${mtuKey}: "${mtu}" is not an MTU (68-65535)`);
    result.mtu = n;
  }
  const ingress = bandwidth(options, 'berth.bandwidth.ingress');
  const egress = bandwidth(options, 'berth.bandwidth.egress');
  if (ingress !== undefined) result.ingress = ingress;
  if (egress !== undefined) result.egress = egress;
  for (const [key, value] of Object.entries(options)) {
    if (!key.startsWith(SYSCTL_PREFIX)) continue;
    const name = key.slice(SYSCTL_PREFIX.length);
    if (!/^net\.[a-z0-9_.-]+$/i.test(name) || name.includes('..')) {
      throw errors.invalidArgument('invalid-network-option', `network option ${key}: only net.* sysctls can be set per network`);
    }
    if (!/^[A-Za-z0-9 _.:-]+$/.test(value)) throw errors.invalidArgument('invalid-network-option', `network option ${key}: "${value}" is not a sysctl value`);
    result.sysctls[name] = value;
  }
  return result;
}
