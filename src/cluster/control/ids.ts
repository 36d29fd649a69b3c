import { randomBytes } from 'node:crypto';

/** A new object id: 25 lowercase base36 characters (Swarm's ids look the same). */
export function newObjectId(): string {
  let id = '';
  while (id.length < 25) id += BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36);
  return id.slice(0, 25);
}
