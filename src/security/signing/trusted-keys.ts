/** The public keys a verification trusts, read from files (`cosign.pub`; a policy's `keys`). */
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { errnoCode, errors } from '../../base/errors.js';
import { keyId, readPublicKey } from './public-keys.js';

/** A public key a verification accepts, with the file it came from (for messages). */
export interface TrustedKey {
  id: string;
  key: KeyObject;
  file: string;
}

const KEYLESS = 'keyless signing and verification (Fulcio certificates, the Rekor log) need the internet and are not supported: give --key';

/** A key file name that can be read here: not empty (keyless), not a KMS or URL reference. */
export function checkKeyName(file: string): void {
  if (file === '') throw errors.invalidArgument('missing-key', KEYLESS);
  if (/^[a-z0-9-]+:\/\//.test(file)) throw errors.invalidArgument('unsupported-key', `${file}: keys from KMS or URLs are not supported; give a key file`);
}

/** A key file's text; not-found naming it when absent. */
export async function readKeyFile(file: string, shownAs = file): Promise<string> {
  checkKeyName(file);
  return readFile(file, 'utf8').catch((err: unknown) => unreadable(shownAs, err));
}

function unreadable(file: string, err: unknown): never {
  if (errnoCode(err) === 'ENOENT') throw errors.notFound('key-not-found', `${file}: no such key file`);
  throw err;
}

function trusted(text: string, file: string): TrustedKey {
  const key = readPublicKey(text, file);
  return { id: keyId(key), key, file };
}

export async function loadTrustedKeys(files: readonly string[]): Promise<TrustedKey[]> {
  if (files.length === 0) checkKeyName('');
  return Promise.all(files.map(async (file) => trusted(await readKeyFile(file), file)));
}

/** One public key file, read synchronously (a policy file's keys, read with the policy); `shownAs` names it in errors. */
export function readTrustedKeyFile(file: string, shownAs = file): TrustedKey {
  checkKeyName(shownAs);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    unreadable(shownAs, err);
  }
  return trusted(text, shownAs);
}
