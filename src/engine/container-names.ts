/** Container names: the user's (validated as Docker does) or a generated `adjective_noun`. */
import { randomInt } from 'node:crypto';
import { errors } from '../base/errors.js';

const ADJECTIVES = [
  'amber', 'brave', 'calm', 'clever', 'crisp', 'eager', 'fierce', 'gentle', 'golden', 'happy', 'hidden',
  'jolly', 'keen', 'lively', 'lucid', 'mellow', 'nimble', 'patient', 'proud', 'quiet', 'rapid', 'salty',
  'serene', 'sharp', 'steady', 'swift', 'tidy', 'vivid', 'warm', 'witty', 'young', 'zesty',
];
const NOUNS = [
  'anchor', 'atoll', 'beacon', 'bollard', 'breeze', 'buoy', 'canal', 'cape', 'cove', 'current', 'delta',
  'dock', 'ferry', 'fjord', 'galley', 'harbor', 'hull', 'inlet', 'jetty', 'keel', 'lagoon', 'lantern',
  'marina', 'mast', 'pier', 'quay', 'reef', 'rudder', 'sail', 'schooner', 'tide', 'wharf',
];

const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * The name to store for a requested one: a leading `/` is dropped; throws invalid-argument
 * (`invalid-container-name`) for names Docker would reject.
 */
export function checkContainerName(requested: string): string {
  const name = requested.startsWith('/') ? requested.slice(1) : requested;
  if (!VALID_NAME.test(name)) {
    throw errors.invalidArgument('invalid-container-name', `Invalid container name (${requested}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name;
}

/** A random `adjective_noun`; after a few collisions a digit is appended, as Docker does. */
export function generateContainerName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${ADJECTIVES[randomInt(ADJECTIVES.length)] ?? 'calm'}_${NOUNS[randomInt(NOUNS.length)] ?? 'dock'}`;
    const name = attempt < 3 ? base : `${base}${randomInt(100)}`;
    if (!taken(name)) return name;
  }
}
