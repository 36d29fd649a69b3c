import { errors } from '../base/errors.js';
import { isDigest, type Digest } from '../base/digest.js';

/**
 * An image reference normalized as Docker does: `busybox` is `docker.io/library/busybox:latest`,
 * `host:5000/a/b:t` keeps its registry, `name@sha256:…` pins a digest.
 */
export interface ImageReference {
  /** Registry host[:port], `docker.io` for Docker Hub. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  tag?: string;
  digest?: Digest;
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const MAX_NAME_LENGTH = 255;

function invalid(value: string, why: string): never {
  throw errors.invalidArgument('invalid-reference', `invalid reference "${value}": ${why}`);
}

function isDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

function checkDomain(value: string, domain: string): void {
  const match = /^(\[[0-9a-fA-F:]+\]|[^:]+)(?::(\d+))?$/.exec(domain);
  const host = match?.[1];
  if (!host) invalid(value, `bad registry host "${domain}"`);
  if (!host.startsWith('[') && !host.split('.').every((part) => DOMAIN_COMPONENT.test(part))) {
    invalid(value, `bad registry host "${domain}"`);
  }
}

/** Parses and normalizes a reference; throws invalid-argument naming what is wrong. */
export function parseReference(value: string): ImageReference {
  if (value === '') invalid(value, 'empty');
  let rest = value;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const digestText = rest.slice(at + 1);
    if (!isDigest(digestText)) invalid(value, `bad digest "${digestText}"`);
    digest = digestText;
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    if (!TAG.test(tag)) invalid(value, `bad tag "${tag}"`);
    rest = rest.slice(0, lastColon);
  }
  const slash = rest.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const first = rest.slice(0, slash);
  if (slash >= 0 && isDomain(first)) {
    domain = first;
    path = rest.slice(slash + 1);
    checkDomain(value, domain);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (path === '' || !path.split('/').every((component) => COMPONENT.test(component))) {
    invalid(value, 'repository names must be lowercase letters, digits and separators (. _ __ -)');
  }
  if (domain.length + 1 + path.length > MAX_NAME_LENGTH) invalid(value, `name longer than ${MAX_NAME_LENGTH}`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { domain, path, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** `docker.io/library/busybox` */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** Full normalized form: `docker.io/library/busybox:latest`, `host/a@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The short form Docker prints: `busybox:latest`, `myorg/app:1`, `host:5000/a:t`. */
export function familiarName(normalized: string): string {
  if (normalized.startsWith(`${DEFAULT_DOMAIN}/library/`)) return normalized.slice(`${DEFAULT_DOMAIN}/library/`.length);
  if (normalized.startsWith(`${DEFAULT_DOMAIN}/`)) return normalized.slice(`${DEFAULT_DOMAIN}/`.length);
  return normalized;
}

/** Parses a reference that must name a tag (for `tag`, `import`, names in archives). */
export function parseTaggedReference(value: string): ImageReference & { tag: string } {
  const ref = parseReference(value);
  if (ref.digest !== undefined || ref.tag === undefined) {
    throw errors.invalidArgument('reference-needs-tag', `"${value}" must be a name with a tag, not a digest`);
  }
  return { ...ref, tag: ref.tag };
}
