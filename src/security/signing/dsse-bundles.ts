/**
 * Sigstore bundles (v0.3) holding a DSSE envelope signed with a key, made and checked by the
 * Sigstore project's libraries: `@sigstore/sign` builds the bundle around berth's signer,
 * `@sigstore/verify` checks the envelope's signature offline against the given public keys (no
 * transparency log, no certificate authority: thresholds 0). Bundles signed with a Fulcio
 * certificate (keyless) are refused with a message: their roots of trust need the internet.
 */
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { Signer } from '@sigstore/sign';
import type { TrustMaterial } from '@sigstore/verify';
import { messageOf } from '../../base/errors.js';
import { keyId, publicKeyOf } from './public-keys.js';
import { IN_TOTO_PAYLOAD_TYPE } from './in-toto.js';
import type { TrustedKey } from './trusted-keys.js';

// The libraries load when first used (@sigstore/sign alone takes ~170 ms): berthd with a policy
// and the CLI's other commands never pay for them.

/** Signs `payload` (an in-toto statement) into a bundle's JSON bytes. */
export async function signDsseBundle(privateKey: KeyObject, payload: Buffer): Promise<Buffer> {
  const publicKey = publicKeyOf(privateKey);
  const signer: Signer = {
    sign: (data) => Promise.resolve({
      signature: cryptoSign('sha256', data, privateKey),
      key: { $case: 'publicKey', publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(), hint: keyId(publicKey) },
    }),
  };
  const [{ DSSEBundleBuilder }, { bundleToJSON }] = await Promise.all([import('@sigstore/sign'), import('@sigstore/bundle')]);
  const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({ data: payload, type: IN_TOTO_PAYLOAD_TYPE });
  return Buffer.from(JSON.stringify(bundleToJSON(bundle)));
}

function trustOnly(key: KeyObject): TrustMaterial {
  return { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [], publicKey: () => ({ publicKey: key, validFor: () => true }) };
}

export type BundleCheck =
  | { ok: true; key: TrustedKey; payload: Buffer; payloadType: string; note?: string }
  | { ok: false; why: string };

async function parseBundle(bytes: Buffer): Promise<Bundle | string> {
  const { bundleFromJSON } = await import('@sigstore/bundle');
  try {
    return bundleFromJSON(JSON.parse(bytes.toString('utf8')));
  } catch (err) {
    return `not a Sigstore bundle (${messageOf(err)})`;
  }
}

/** Checks a bundle's signature with each key in turn; says why it fails when none verifies it. */
export async function checkDsseBundle(bytes: Buffer, keys: readonly TrustedKey[]): Promise<BundleCheck> {
  const bundle = await parseBundle(bytes);
  if (typeof bundle === 'string') return { ok: false, why: bundle };
  if (bundle.content.$case !== 'dsseEnvelope') return { ok: false, why: 'a message-signature bundle, which does not name the image it signs (expected a DSSE envelope)' };
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    return { ok: false, why: 'signed keyless (a Fulcio certificate): verifying it needs the Sigstore roots and transparency log on the internet, which berth does not use; sign and verify with --key' };
  }
  const { Verifier, toSignedEntity } = await import('@sigstore/verify');
  const tlogEntries = bundle.verificationMaterial.tlogEntries.length;
  const entity = toSignedEntity({ ...bundle, verificationMaterial: { ...bundle.verificationMaterial, tlogEntries: [] } });
  for (const trusted of keys) {
    try {
      new Verifier(trustOnly(trusted.key), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(entity);
    } catch {
      continue;
    }
    const envelope = bundle.content.dsseEnvelope;
    return {
      ok: true, key: trusted, payload: envelope.payload, payloadType: envelope.payloadType,
      ...(tlogEntries > 0 && { note: `its ${tlogEntries} transparency-log entr${tlogEntries === 1 ? 'y was' : 'ies were'} not checked (offline)` }),
    };
  }
  const hint = material.publicKey.hint;
  const named = keys.find((k) => k.id === hint);
  if (named !== undefined) return { ok: false, why: `the signature by ${named.file} does not match the signed payload: the payload was altered` };
  const files = keys.map((k) => k.file).join(', ');
  return { ok: false, why: hint !== '' ? `signed by another key (${hint}), not by ${files}` : `does not verify with ${files}: signed by another key, or the payload was altered` };
}
