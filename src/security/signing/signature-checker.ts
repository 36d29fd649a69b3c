/**
 * Signature checks for admission policies: does a signature made with one of these keys name the
 * digest this reference resolves to? Results that verified are remembered (by registry,
 * repository, digest and key set; digests never change content) so the check of a create after
 * its pull, or of the next container of the same image, costs a map lookup; failures are not
 * remembered, so a signature added later counts at once. Concurrent checks of one key share the
 * registry round trips.
 */
import { messageOf } from '../../base/errors.js';
import type { RegistryCredentials } from '../../wire/registry-auth.js';
import { RegistryClient } from '../../images/distribution/registry-client.js';
import type { TrustedKey } from './trusted-keys.js';
import { verifyImage } from './image-verifier.js';
import { httpSource } from './signature-source.js';

/** What one check found: the digest and how it verified, or why not. */
export type SignatureFact =
  | { verified: true; digest: string; detail: string }
  | { verified: false; digest?: string; why: string };

export interface SignatureTarget {
  domain: string;
  path: string;
  /** A tag or digest (a tag is resolved at the registry). */
  reference: string;
}

const MAX_REMEMBERED = 4096;

function rememberedAs(target: SignatureTarget, reference: string, keys: readonly TrustedKey[]): string {
  return `${target.domain}/${target.path}@${reference}|${keys.map((k) => k.id).sort().join(',')}`;
}

export class SignatureChecker {
  private readonly verified = new Map<string, SignatureFact>();
  private readonly inFlight = new Map<string, Promise<SignatureFact>>();

  constructor(private readonly options: { insecureRegistries?: readonly string[] } = {}) {}

  /** Forgets every remembered result (a policy reload may change what keys mean). */
  clear(): void {
    this.verified.clear();
  }

  async check(target: SignatureTarget, keys: readonly TrustedKey[], credentials?: RegistryCredentials): Promise<SignatureFact> {
    const cacheKey = rememberedAs(target, target.reference, keys);
    const known = target.reference.startsWith('sha256:') ? this.verified.get(cacheKey) : undefined;
    if (known !== undefined) return known;
    const running = this.inFlight.get(cacheKey);
    if (running !== undefined) return running;
    const work = this.verify(target, keys, credentials).finally(() => this.inFlight.delete(cacheKey));
    this.inFlight.set(cacheKey, work);
    const fact = await work;
    if (fact.verified) {
      if (this.verified.size >= MAX_REMEMBERED) this.verified.delete(this.verified.keys().next().value ?? '');
      this.verified.set(rememberedAs(target, fact.digest, keys), fact);
    }
    return fact;
  }

  private async verify(target: SignatureTarget, keys: readonly TrustedKey[], credentials?: RegistryCredentials): Promise<SignatureFact> {
    const client = new RegistryClient(target.domain, { insecureRegistries: this.options.insecureRegistries ?? [], ...(credentials !== undefined && { credentials }) });
    try {
      const result = await verifyImage(httpSource(client), target.path, target.reference, keys, { kind: 'signature' });
      const first = result.verified[0];
      if (first !== undefined) return { verified: true, digest: result.subject.digest, detail: `signed by ${first.key.file} (${first.format})` };
      return { verified: false, digest: result.subject.digest, why: result.failures.join('; ') };
    } catch (err) {
      return { verified: false, why: `its signatures could not be read from ${target.domain}: ${messageOf(err)}` };
    }
  }
}
