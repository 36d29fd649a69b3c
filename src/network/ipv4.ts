/**
 * IPv4 arithmetic on CIDR blocks, pure. Addresses are unsigned 32-bit numbers.
 */
import { errors } from '../base/errors.js';
import { parseIpv4 } from '../wire/ipv4-address.js';

/** Dotted-quad parsing lives with the wire formats that need it (port specs); re-exported for network/. */
export { parseIpv4 };

export interface Ipv4Block {
  /** Network address (host bits cleared). */
  base: number;
  prefix: number;
}


export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `10.89.0.0/24` → block; undefined when malformed. Host bits are cleared. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const [address, prefixText] = text.split('/');
  if (address === undefined || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const ip = parseIpv4(address);
  if (ip === undefined || prefix > 32) return undefined;
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}

/** As parseCidr, but throws invalid-argument naming `field`. */
export function requireCidr(text: string, field: string): Ipv4Block {
  const block = parseCidr(text);
  if (block === undefined) throw errors.invalidArgument('invalid-subnet', `${field}: "${text}" is not an IPv4 CIDR block`);
  return block;
}

export function formatCidr(block: Ipv4Block): string {
  return `${formatIpv4(block.base)}/${block.prefix}`;
}

export function blockSize(block: Ipv4Block): number {
  return 2 ** (32 - block.prefix);
}

export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.base + blockSize(a);
  const bEnd = b.base + blockSize(b);
  return a.base < bEnd && b.base < aEnd;
}

export function contains(block: Ipv4Block, ip: number): boolean {
  return ip >= block.base && ip < block.base + blockSize(block);
}
