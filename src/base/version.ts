/** berth's own version (package.json's), reported by `berth version` and the API. */
export const BERTH_VERSION = '0.1.0';
