/** IPv4 subnets of cluster networks, pure: parsing, overlap, the addresses of a block. */
import { errors } from '../../base/errors.js';
import { parseIpv4 } from '../../wire/ipv4-address.js';

export interface Ipv4Block {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => String(Math.floor(value / 2 ** shift) % 256)).join('.');
}

export function formatBlock(block: Ipv4Block): string {
  return `${formatIpv4(block.base)}/${String(block.prefix)}`;
}

export function blockSize(block: Ipv4Block): number {
  return 2 ** (32 - block.prefix);
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base < b.base + blockSize(b) && b.base < a.base + blockSize(a);
}

export function contains(block: Ipv4Block, ip: number): boolean {
  return ip >= block.base && ip < block.base + blockSize(block);
}

/**
 * `10.0.1.0/24` as a block; invalid-argument `invalid-subnet` naming `field` when it is not one,
 * when host bits are set, or when the prefix is outside 8–29 (a cluster network needs room for
 * a gateway, virtual IPs and tasks).
 */
export function parseBlock(text: string, field: string): Ipv4Block {
  const [address = '', prefixText = '', ...rest] = text.split('/');
  const base = parseIpv4(address);
  const prefix = Number(prefixText);
  if (rest.length > 0 || base === undefined || !/^\d{1,2}$/.test(prefixText) || prefix < 8 || prefix > 29) {
    throw errors.invalidArgument('invalid-subnet', `${field} ${text}: want an IPv4 subnet such as 10.0.9.0/24 (prefix 8 to 29)`);
  }
  if (base % blockSize({ base, prefix }) !== 0) {
    throw errors.invalidArgument('invalid-subnet', `${field} ${text}: host bits are set (the network address is ${formatIpv4(base - (base % 2 ** (32 - prefix)))})`);
  }
  return { base, prefix };
}

/** An address of `block` given as text; invalid-argument `invalid-address` naming `field` when it is not a usable host address of it. */
export function parseHostAddress(text: string, block: Ipv4Block, field: string): number {
  const ip = parseIpv4(text);
  if (ip === undefined || !contains(block, ip) || ip === block.base || ip === block.base + blockSize(block) - 1) {
    throw errors.invalidArgument('invalid-address', `${field} ${text}: want a host address of ${formatBlock(block)}`);
  }
  return ip;
}
