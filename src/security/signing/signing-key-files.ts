/** The signing key's files on this machine: `cosign.key` read with its password, a new pair written. */
import type { KeyObject } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { errnoCode, errors } from '../../base/errors.js';
import { generateKeyPair, readPrivateKey } from './private-keys.js';
import { readKeyFile } from './trusted-keys.js';

export async function loadSigningKey(file: string, password: string): Promise<KeyObject> {
  return readPrivateKey(await readKeyFile(file), password, file);
}

async function writeNew(file: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(file, text, { mode, flag: 'wx' });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') throw errors.alreadyExists('key-exists', `${file} exists: not overwritten`);
    throw err;
  }
}

/** Writes `<prefix>.key` (owner-only) and `<prefix>.pub`, refusing to overwrite either; nothing is left of a failed pair. */
export async function writeKeyPair(prefix: string, password: string): Promise<{ privateFile: string; publicFile: string }> {
  const files = generateKeyPair(password);
  const privateFile = `${prefix}.key`;
  const publicFile = `${prefix}.pub`;
  await writeNew(privateFile, files.privatePem, 0o600);
  try {
    await writeNew(publicFile, files.publicPem, 0o644);
  } catch (err) {
    await rm(privateFile, { force: true });
    throw err;
  }
  return { privateFile, publicFile };
}
