/**
 * `berth sign`, `berth verify`, `berth attest`, `berth verify-attestation`: image signatures in
 * cosign's formats, made and checked in this process straight against the registry (as cosign;
 * berthd is not involved). `berth sign generate-key-pair` writes cosign.key / cosign.pub.
 * The private key's password comes from $COSIGN_PASSWORD, else the terminal.
 */
import { argOf, flagsOf, type CommandSpec, type OptionSpec } from '../args/command-spec.js';
import type * as signingActions from './signing-run.js';
import type { SigningFlags } from './signing-run.js';

const INSECURE: OptionSpec = {
  flags: '--insecure-registry <host>', description: 'a registry (host[:port]) that may be reached over plain HTTP; repeatable (loopback ones always may)', repeat: true,
};
const SIGNING_KEY: OptionSpec = { flags: '--key <file>', description: 'the private key (cosign.key, cosign\'s encrypted format, or an unencrypted PEM)' };
const TRUSTED_KEYS: OptionSpec = { flags: '--key <file>', description: 'a public key that may have signed (cosign.pub); repeatable: one of them is enough', repeat: true };
const OUTPUT: OptionSpec = { flags: '--format <format>', description: 'text (signed payloads as JSON, as cosign prints them) or json (the whole result)', default: 'text' };

const action = (): Promise<typeof signingActions> => import('./signing-run.js');

export const SIGN_COMMAND: CommandSpec = {
  name: 'sign', args: '<image>',
  description: 'Sign an image in a registry (cosign formats); `berth sign generate-key-pair` makes a key pair',
  options: [
    SIGNING_KEY,
    { flags: '--signature-format <format>', description: 'bundle (a Sigstore bundle attached as an OCI referrer, as cosign 3) or classic (the sha256-<digest>.sig tag, as cosign 2)', default: 'bundle' },
    { flags: '--output-key-prefix <prefix>', description: 'generate-key-pair: write <prefix>.key and <prefix>.pub', default: 'cosign' },
    INSECURE,
  ],
  run: async ({ args, options }) => { await (await action()).sign(argOf(args, 'image'), flagsOf<SigningFlags>(options)); },
};

export const VERIFY_COMMAND: CommandSpec = {
  name: 'verify', args: '<image>',
  description: 'Verify an image\'s signatures with public keys; exit 1 unless one verifies for the digest the image names',
  options: [TRUSTED_KEYS, OUTPUT, INSECURE],
  run: async ({ args, options }) => { await (await action()).verify(argOf(args, 'image'), flagsOf<SigningFlags>(options), false); },
};

export const ATTEST_COMMAND: CommandSpec = {
  name: 'attest', args: '<image>',
  description: 'Attach a signed SBOM (an in-toto statement in a DSSE envelope, as a Sigstore bundle) to an image',
  options: [
    SIGNING_KEY,
    { flags: '--predicate <file>', description: 'the SBOM document (JSON), e.g. from berth sbom' },
    { flags: '--type <type>', description: 'cyclonedx, spdx, or a predicate type URI', default: 'cyclonedx' },
    INSECURE,
  ],
  run: async ({ args, options }) => { await (await action()).attest(argOf(args, 'image'), flagsOf<SigningFlags>(options)); },
};

export const VERIFY_ATTESTATION_COMMAND: CommandSpec = {
  name: 'verify-attestation', args: '<image>',
  description: 'Verify an image\'s signed attestations with public keys; exit 1 unless one verifies',
  options: [TRUSTED_KEYS, { flags: '--type <type>', description: 'only attestations of this type: cyclonedx, spdx, or a predicate type URI' }, OUTPUT, INSECURE],
  run: async ({ args, options }) => { await (await action()).verify(argOf(args, 'image'), flagsOf<SigningFlags>(options), true); },
};
