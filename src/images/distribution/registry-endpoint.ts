/**
 * Where a reference's registry answers: Docker Hub's API lives at registry-1.docker.io, every
 * other registry at its own host[:port]. Plain HTTP is used only for loopback hosts (as Docker
 * allows them) or for registries named in the insecure list, which try HTTPS first.
 */
import { DOCKER_HUB_API_HOST, DOCKER_HUB_DOMAIN, registryDomain } from '../../wire/registry-domain.js';

export type Scheme = 'https' | 'http';

export interface RegistryEndpoint {
  /** The registry as references name it (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** host[:port] to connect to. */
  host: string;
  /** Schemes to try, in order. */
  schemes: Scheme[];
}

/** The host part of host[:port] (brackets of an IPv6 literal removed). */
export function hostOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon >= 0 && domain.indexOf(':') === colon ? domain.slice(0, colon) : domain;
}

/** localhost, 127.0.0.0/8 and ::1: the registries Docker reaches over plain HTTP without being told. */
export function isLoopback(domain: string): boolean {
  const host = hostOf(domain).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether `domain` is named by an `--insecure-registry` entry (host[:port] or a bare host). */
export function isInsecure(domain: string, insecure: readonly string[]): boolean {
  return insecure.map(registryDomain).some((entry) => entry === domain || (!entry.includes(':') && entry === hostOf(domain)));
}

export function resolveEndpoint(domain: string, insecure: readonly string[] = []): RegistryEndpoint {
  const normalized = registryDomain(domain);
  const host = normalized === DOCKER_HUB_DOMAIN ? DOCKER_HUB_API_HOST : normalized;
  let schemes: Scheme[] = ['https'];
  if (isLoopback(normalized)) schemes = ['http'];
  else if (isInsecure(normalized, insecure)) schemes = ['https', 'http'];
  return { domain: normalized, host, schemes };
}
