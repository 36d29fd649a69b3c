/**
 * IPv6 arithmetic on CIDR blocks, pure. Addresses are unsigned 128-bit bigints; text is read in
 * any RFC 4291 form (`::`, embedded IPv4 tail) and written in the canonical RFC 5952 form, which
 * is also what `ip -j addr` prints.
 */
import { errors } from '../base/errors.js';
import { parseIpv4 } from './ipv4.js';

export interface Ipv6Block {
  /** Network address (host bits cleared). */
  base: bigint;
  prefix: number;
}

const BITS = 128n;
const ALL = (1n << BITS) - 1n;

function groups(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const pieces = part.split(':');
  for (const [i, piece] of pieces.entries()) {
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === undefined) return undefined;
      out.push(Math.floor(v4 / 65536), v4 % 65536);
      continue;
    }
    if (!/^[0-9a-f]{1,4}$/i.test(piece)) return undefined;
    out.push(parseInt(piece, 16));
  }
  return out;
}

/** `fd00::1` → bigint; undefined when not an IPv6 address (zone ids are refused). */
export function parseIpv6(text: string): bigint | undefined {
  if (!text.includes(':') || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  let value = 0n;
  for (const g of [...head, ...new Array<number>(missing).fill(0), ...tail]) value = (value << 16n) | BigInt(g);
  return value;
}

/** RFC 5952: lower case, leading zeros dropped, the longest run (≥ 2) of zero groups as `::`. */
export function formatIpv6(value: bigint): string {
  const parts = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    if (parts[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && parts[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j;
  }
  const hex = parts.map((p) => p.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** The canonical text of an IPv6 address, or undefined. */
export function canonicalIpv6(text: string): string | undefined {
  const value = parseIpv6(text);
  return value === undefined ? undefined : formatIpv6(value);
}

function maskOf(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << (BITS - BigInt(prefix))) & ALL;
}

/** `fd00:1::/64` → block; undefined when malformed. Host bits are cleared. */
export function parseCidr6(text: string): Ipv6Block | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const ip = parseIpv6(address);
  if (ip === undefined || prefix > 128) return undefined;
  return { base: ip & maskOf(prefix), prefix };
}

/** As parseCidr6, but throws invalid-argument naming `field`. */
export function requireCidr6(text: string, field: string): Ipv6Block {
  const block = parseCidr6(text);
  if (block === undefined) throw errors.invalidArgument('invalid-subnet', `${field}: "${text}" is not an IPv6 CIDR block`);
  return block;
}

export function formatCidr6(block: Ipv6Block): string {
  return `${formatIpv6(block.base)}/${block.prefix}`;
}

/** The last address of the block. */
export function lastOf6(block: Ipv6Block): bigint {
  return block.base + (1n << (BITS - BigInt(block.prefix))) - 1n;
}

export function contains6(block: Ipv6Block, ip: bigint): boolean {
  return ip >= block.base && ip <= lastOf6(block);
}

export function overlaps6(a: Ipv6Block, b: Ipv6Block): boolean {
  return a.base <= lastOf6(b) && b.base <= lastOf6(a);
}
