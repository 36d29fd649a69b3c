/**
 * How registries are named where clients and berthd meet (references, `docker login`, the
 * `serveraddress` of X-Registry-Auth, config.json keys): Docker Hub is `docker.io`, every other
 * registry its lower-cased host[:port]. Pure.
 */

/** The name Docker uses for Docker Hub in references and in config.json. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
/** The host Docker Hub's registry API answers at. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** The key Docker's config.json stores Docker Hub credentials under. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** Normalizes what a user types for a registry (`https://host:5000/`, `index.docker.io`) to a domain. */
export function registryDomain(text: string): string {
  let domain = text.trim().replace(/^https?:\/\//, '');
  const slash = domain.indexOf('/');
  if (slash >= 0) domain = domain.slice(0, slash);
  domain = domain.toLowerCase();
  if (domain === '' || domain === 'index.docker.io' || domain === DOCKER_HUB_API_HOST) return DOCKER_HUB_DOMAIN;
  return domain;
}
