// The options of `berth registry serve` and `berth registry gc`.
/** The options of `berth registry serve`. */
export interface RegistryServeFlags {
  root?: string;
  addr: string;
  htpasswd?: string;
  auth?: string;
  accessConfig?: string;
  tlsCert?: string;
  tlsKey?: string;
  proxyConfig?: string;
  /** Registry policy file (YAML): immutable tags and pull rules. */
  policy?: string;
  gcInterval: string;
  gcGrace: string;
  uploadTtl: string;
}
export interface RegistryGcFlags {
  root?: string;
  gcGrace: string;
  format?: string;
}
