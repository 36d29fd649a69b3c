/** The Docker Engine API versions berth serves: what `docker` negotiates down to. */
export const API_VERSION = '1.43';
export const MIN_API_VERSION = '1.24';

/** `/v1.41/images/json` → `/images/json`; unversioned paths stay as they are. */
export function stripVersion(url: string): string {
  return url.replace(/^\/v\d+\.\d+(?=\/)/, '');
}
