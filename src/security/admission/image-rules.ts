/**
 * The rules about the image itself: `vulnerabilities`, `registries`, `no-latest`, `digest`, `signed`. Each
 * returns what the request breaks (field and detail), nothing when it complies. Pure.
 */
import { SEVERITIES, severityRank, type Severity } from '../../wire/security.js';
import type { ImageFacts } from './admission-request.js';
import { ImagePattern } from './image-pattern.js';

export interface Breach {
  field: string;
  detail: string;
}

function shown(image: ImageFacts): string {
  return JSON.stringify(image.given);
}

function domainOf(name: string): string {
  return name.slice(0, name.indexOf('/'));
}

export function checkVulnerabilities(image: ImageFacts, severity: Severity, unscanned: 'scan' | 'refuse'): Breach[] {
  const facts = image.vulnerabilities;
  if (facts === undefined || facts.state === 'unscanned') {
    const why = unscanned === 'refuse' ? 'has not been scanned for vulnerabilities' : 'could not be scanned for vulnerabilities';
    return [{ field: image.field, detail: `${shown(image)} ${why}` }];
  }
  const floor = severityRank(severity);
  const counted = SEVERITIES.filter((level) => severityRank(level) >= floor && facts.counts[level] > 0)
    .map((level) => ({ level, count: facts.counts[level] }));
  const total = counted.reduce((sum, { count }) => sum + count, 0);
  if (total === 0) return [];
  const byLevel = counted.reverse().map(({ level, count }) => `${count} ${level}`).join(', ');
  return [{ field: image.field, detail: `${shown(image)} has ${total} known ${total === 1 ? 'vulnerability' : 'vulnerabilities'} at or above ${severity} (${byLevel})` }];
}

export function checkRegistries(image: ImageFacts, allow: readonly string[]): Breach[] {
  const allowed = allow.map((text) => new ImagePattern(text.toLowerCase()));
  const isAllowed = (domain: string): boolean => allowed.some((pattern) => pattern.matchesAny([domain.toLowerCase()]));
  if (image.reference !== undefined) {
    const { domain } = image.reference;
    return isAllowed(domain) ? [] : [{ field: image.field, detail: `${shown(image)} is from the registry ${domain}, not one of ${allow.join(', ')}` }];
  }
  // Named by id: one of the image's names must come from an allowed registry.
  if (image.names.some((name) => isAllowed(domainOf(name)))) return [];
  return [{ field: image.field, detail: `${shown(image)} has no name in one of the registries ${allow.join(', ')}` }];
}

/** A reference pinned by digest runs that digest whatever its tag says (`name:latest@sha256:…` is allowed). */
export function checkNoLatest(image: ImageFacts): Breach[] {
  if (image.reference?.tag !== 'latest' || image.reference.digest !== undefined) return [];
  const why = image.implicitTag ? 'has no tag, which means latest' : 'has the tag latest';
  return [{ field: image.field, detail: `${shown(image)} ${why}` }];
}

export function checkDigest(image: ImageFacts): Breach[] {
  if (image.reference === undefined || image.reference.digest !== undefined) return [];
  return [{ field: image.field, detail: `${shown(image)} is not pinned by digest (want name@sha256:…)` }];
}

/** The gate verified the signature (or said why not) before evaluating; no fact means it could not look. */
export function checkSigned(image: ImageFacts, rule: string): Breach[] {
  const fact = image.signatures?.[rule];
  if (fact?.verified === true) return [];
  return [{ field: image.field, detail: `${shown(image)} is not signed by a key of the rule: ${fact?.why ?? 'signatures were not checked here (no registry to ask)'}` }];
}
