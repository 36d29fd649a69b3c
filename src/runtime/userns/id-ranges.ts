/**
 * Host id ranges for containers in their own user namespace (`--userns auto`): each container gets
 * 65536 host uids and gids that no other container has, and its ids 0..65535 map onto them.
 * Pure: the pool and the ranges in use come in, a free range goes out.
 */
import { z } from 'zod';
import { BerthError, errors } from '../../base/errors.js';

/** Ids per container: uid/gid 0..65535 inside. */
export const USERNS_SIZE = 65536;

/** Where ranges come from when /etc/subuid and /etc/subgid name no `berth` entry: from 2^20 up to 2^31. */
export const DEFAULT_USERNS_POOL: UsernsPool = { uidStart: 2 ** 20, gidStart: 2 ** 20, count: 2 ** 31 - 2 ** 20 };

/** The host ids berth may hand out: uids uidStart.., gids gidStart.., `count` of each. */
export interface UsernsPool {
  uidStart: number;
  gidStart: number;
  count: number;
}

/** A container's user namespace as its record keeps it: container id 0 is host `uid` / `gid`. */
export const usernsConfigSchema = z.object({
  mode: z.literal('auto'),
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
  size: z.number().int().positive(),
});
export type UsernsConfig = z.infer<typeof usernsConfigSchema>;

/** `--userns` values: `auto` = own namespace and range; `host` = none (the default). */
export const USERNS_MODES = ['auto', 'host'] as const;
export type UsernsMode = (typeof USERNS_MODES)[number];

/** The `start:count` of `user`'s line in a subuid/subgid file's text; undefined when it has none. */
export function subordinateRange(text: string, user: string): { start: number; count: number } | undefined {
  for (const line of text.split('\n')) {
    const [name, start, count] = line.trim().split(':');
    if (name !== user || start === undefined || count === undefined) continue;
    const range = { start: Number(start), count: Number(count) };
    if (Number.isSafeInteger(range.start) && Number.isSafeInteger(range.count) && range.start >= 0 && range.count > 0) return range;
  }
  return undefined;
}

/**
 * The pool from the `berth` entries of /etc/subuid and /etc/subgid (both needed; the smaller count
 * wins), else DEFAULT_USERNS_POOL. Throws failed-precondition (`subordinate-ids-too-few`) when an
 * entry holds fewer than one container's ids.
 */
export function usernsPoolOf(subuid: string, subgid: string, user = 'berth'): UsernsPool {
  const uids = subordinateRange(subuid, user);
  const gids = subordinateRange(subgid, user);
  if (uids === undefined || gids === undefined) return DEFAULT_USERNS_POOL;
  const count = Math.min(uids.count, gids.count);
  if (count < USERNS_SIZE) {
    throw errors.failedPrecondition('subordinate-ids-too-few', `/etc/subuid and /etc/subgid give "${user}" ${count} ids; a container needs ${USERNS_SIZE}`);
  }
  return { uidStart: uids.start, gidStart: gids.start, count };
}

function overlaps(start: number, size: number, otherStart: number, otherSize: number): boolean {
  return start < otherStart + otherSize && otherStart < start + size;
}

/**
 * The lowest free slot of the pool: a range whose uids and gids overlap none of `used`.
 * Throws resource-exhausted (`userns-ranges-exhausted`) when every slot is taken.
 */
export function allocateUserns(pool: UsernsPool, used: readonly UsernsConfig[]): UsernsConfig {
  const slots = Math.floor(pool.count / USERNS_SIZE);
  for (let slot = 0; slot < slots; slot++) {
    const uid = pool.uidStart + slot * USERNS_SIZE;
    const gid = pool.gidStart + slot * USERNS_SIZE;
    const taken = used.some((r) => overlaps(uid, USERNS_SIZE, r.uid, r.size) || overlaps(gid, USERNS_SIZE, r.gid, r.size));
    if (!taken) return { mode: 'auto', uid, gid, size: USERNS_SIZE };
  }
  throw new BerthError('resource-exhausted', 'userns-ranges-exhausted', `all ${slots} user namespace id ranges are in use; remove containers started with --userns auto`);
}
