/** The actions of signing-commands.ts: flags and key passwords in, the signing port, output like cosign's. */
import { errors } from '../../base/errors.js';
import { CredentialStore } from '../../client/docker-credentials.js';
import { parseReference } from '../../oci/reference.js';
import { ports, type SigningRegistryOptions } from '../berth-ports.js';
import { outputFormat, printJson } from '../context.js';
import { readSecret } from './registry-prompt.js';

export interface SigningFlags {
  key?: string | string[];
  signatureFormat?: string;
  outputKeyPrefix?: string;
  predicate?: string;
  type?: string;
  format?: string;
  insecureRegistry?: string[];
}

/** The word that makes `berth sign` generate a key pair instead of signing an image. */
const GENERATE = 'generate-key-pair';

async function password(confirm: boolean): Promise<string> {
  const fromEnv = process.env.COSIGN_PASSWORD;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    if (confirm) throw errors.invalidArgument('no-password', 'set COSIGN_PASSWORD (stdin is not a terminal to ask for the key\'s password)');
    return '';
  }
  const first = await readSecret('Enter password for private key: ', true);
  if (confirm && first !== await readSecret('Enter password for private key again: ', true)) {
    throw errors.invalidArgument('password-mismatch', 'the passwords do not match');
  }
  return first;
}

async function registryOptions(image: string, flags: SigningFlags): Promise<SigningRegistryOptions> {
  const credentials = await new CredentialStore(ports().runner).get(parseReference(image).domain);
  return { insecureRegistries: flags.insecureRegistry ?? [], ...(credentials !== undefined && { credentials }) };
}

function oneKey(flags: SigningFlags): string {
  const key = Array.isArray(flags.key) ? flags.key[0] : flags.key;
  return key ?? '';
}

export async function sign(image: string, flags: SigningFlags): Promise<void> {
  if (image === GENERATE) {
    const written = await ports().signing.generateKeyPair(flags.outputKeyPrefix ?? 'cosign', await password(true));
    process.stderr.write(`Private key written to ${written.privateFile}\nPublic key written to ${written.publicFile}\n`);
    return;
  }
  const format = flags.signatureFormat ?? 'bundle';
  if (format !== 'bundle' && format !== 'classic') throw errors.invalidArgument('invalid-signature-format', `--signature-format "${format}": expected bundle or classic`);
  const keyFile = oneKey(flags);
  const signed = await ports().signing.sign(image, { ...(await registryOptions(image, flags)), keyFile, password: keyFile === '' ? '' : await password(false), format });
  process.stderr.write(`Signed ${signed.image}\nPushed signature to ${signed.where}\n`);
}

export async function attest(image: string, flags: SigningFlags): Promise<void> {
  if (flags.predicate === undefined) throw errors.invalidArgument('missing-predicate', '--predicate is required: the SBOM document to attest');
  const keyFile = oneKey(flags);
  const attested = await ports().signing.attest(image, {
    ...(await registryOptions(image, flags)), keyFile, password: keyFile === '' ? '' : await password(false), predicateFile: flags.predicate, type: flags.type ?? 'cyclonedx',
  });
  process.stderr.write(`Attested ${attested.image}\nPushed attestation to ${attested.where}\n`);
}

export async function verify(image: string, flags: SigningFlags, attestation: boolean): Promise<void> {
  const format = outputFormat(flags.format === 'text' ? 'table' : flags.format);
  const keyFiles = Array.isArray(flags.key) ? flags.key : flags.key === undefined ? [] : [flags.key];
  const view = await ports().signing.verify(image, {
    ...(await registryOptions(image, flags)), keyFiles, attestation, ...(flags.type !== undefined && { attestationType: flags.type }),
  });
  if (format === 'json') {
    printJson(view);
  } else if (view.verified.length > 0) {
    process.stderr.write(`\nVerification for ${view.image} --\nThe following checks were performed on each of these ${attestation ? 'attestations' : 'signatures'}:\n`);
    process.stderr.write(`  - The signature was verified against the specified public key\n  - The signed payload names the image's digest ${view.image.split('@')[1] ?? ''}\n`);
    for (const v of view.verified) process.stderr.write(`  - ${v.format} signature at ${v.where} (key ${v.keyFile})${v.note !== undefined ? `: ${v.note}` : ''}\n`);
    process.stdout.write(`${JSON.stringify(view.verified.map((v) => v.payload))}\n`);
  }
  if (view.verified.length === 0) {
    const noun = attestation ? 'attestation' : 'signature';
    throw errors.permissionDenied('signature-not-verified', `${view.image}: no ${noun} verified:\n${view.failures.map((f) => `  - ${f}`).join('\n')}`);
  }
}
