/**
 * The permissions of berthd's API: `<resource>.<verb>`. A route needs one permission for what it
 * does, and one more for each dangerous option it was given (privileged, host mounts, host
 * namespaces, build with host network); exec, attach and cp have verbs of their own so that the
 * lifecycle of containers never implies a shell in them.
 */
export const VERBS_OF_RESOURCE = {
  containers: [
    'read', 'create', 'start', 'stop', 'update', 'delete',
    'exec', 'attach', 'archive', 'checkpoint',
    'privileged', 'host-mounts', 'host-pid', 'host-network', 'host-ipc',
  ],
  images: ['read', 'create', 'push', 'delete', 'scan'],
  builds: ['create', 'delete', 'host-network'],
  volumes: ['read', 'create', 'delete'],
  networks: ['read', 'create', 'update', 'delete'],
  services: ['read', 'create', 'update', 'delete'],
  nodes: ['read', 'update', 'delete'],
  swarm: ['read', 'update'],
  system: ['read'],
  scans: ['read', 'update'],
  tokens: ['read', 'create', 'delete'],
  audit: ['read'],
} as const satisfies Record<string, readonly string[]>;

export type Resource = keyof typeof VERBS_OF_RESOURCE;
export type Verb<R extends Resource = Resource> = (typeof VERBS_OF_RESOURCE)[R][number];
export type Permission = { [R in Resource]: `${R}.${Verb<R>}` }[Resource];

export const RESOURCES = Object.keys(VERBS_OF_RESOURCE) as Resource[];

export function isResource(value: string): value is Resource {
  return Object.hasOwn(VERBS_OF_RESOURCE, value);
}

export function isVerbOf(resource: Resource, verb: string): boolean {
  return (VERBS_OF_RESOURCE[resource] as readonly string[]).includes(verb);
}

/** Every permission, in catalogue order. */
export const ALL_PERMISSIONS: readonly Permission[] = RESOURCES.flatMap((resource) =>
  (VERBS_OF_RESOURCE[resource] as readonly string[]).map((verb) => `${resource}.${verb}` as Permission));

/** Verbs that open a door to the host or into a running container: no built-in role below admin has them. */
export const ESCALATING_VERBS: ReadonlySet<string> = new Set([
  'exec', 'attach', 'archive', 'checkpoint', 'privileged', 'host-mounts', 'host-pid', 'host-network', 'host-ipc',
]);
