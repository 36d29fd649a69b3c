/**
 * `berth registry …`: the OCI distribution server (`serve`) and an offline-or-online collection
 * (`gc`) on a registry state directory, in this process. The implementation (the registry port of
 * berth-ports.ts, composed in daemon/berth-process/registry-serve.ts) loads only when one of these runs.
 */
import { flagsOf, type CommandSpec } from '../args/command-spec.js';
import { ports } from '../berth-ports.js';
import type { RegistryGcFlags, RegistryServeFlags } from './registry-flags.js';

const ROOT = { flags: '--root <dir>', description: 'registry state directory (default: /var/lib/berth-registry)' };
const GRACE = { flags: '--gc-grace <duration>', description: 'never collect blobs or untagged manifests younger than this', default: '1h' };

export const REGISTRY_COMMAND: CommandSpec = {
  name: 'registry',
  description: 'Run an OCI distribution registry',
  commands: [
    {
      name: 'serve', description: 'Serve an OCI distribution registry (spec 1.1) from a state directory',
      options: [
        ROOT,
        { flags: '--addr <host:port>', description: 'address to listen on', default: '127.0.0.1:5000' },
        { flags: '--htpasswd <file>', description: 'bcrypt htpasswd file: require Basic credentials (or tokens, with --auth token)' },
        { flags: '--auth <mode>', description: 'basic or token (built-in token service at /token)' },
        { flags: '--access-config <file>', description: 'JSON access rules: accounts, robots, repositories, actions, anonymous pull' },
        { flags: '--tls-cert <file>', description: 'TLS certificate (PEM)' },
        { flags: '--tls-key <file>', description: 'TLS private key (PEM)' },
        { flags: '--proxy-config <file>', description: 'JSON list of upstream registries to cache, each under its own prefix' },
        { flags: '--policy <file>', description: 'registry policy (YAML): immutable tags and pull rules; read again on SIGHUP' },
        { flags: '--gc-interval <duration>', description: 'run garbage collection this often (0 = never)', default: '1h' },
        GRACE,
        { flags: '--upload-ttl <duration>', description: 'an upload with no chunk for this long expires', default: '24h' },
      ],
      run: async ({ options }) => { await ports().registry.serve(flagsOf<RegistryServeFlags>(options)); },
    },
    {
      name: 'gc', description: 'Remove unreferenced blobs and untagged manifests (safe while the registry serves)',
      options: [ROOT, GRACE, { flags: '--format <format>', description: 'table or json', default: 'table' }],
      run: async ({ options }) => { await ports().registry.collect(flagsOf<RegistryGcFlags>(options)); },
    },
  ],
};
