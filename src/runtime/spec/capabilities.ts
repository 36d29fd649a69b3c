import { errors } from '../../base/errors.js';

/** Docker's default capability set for a non-privileged container. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Every capability Linux defines (0 to 40, up to CAP_CHECKPOINT_RESTORE), in number order. */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

const KNOWN = new Set(ALL_CAPABILITIES);

/**
 * The container's capability set, by Docker's rules: privileged gets every capability; otherwise
 * `ALL` in capAdd gives every capability except those in capDrop, `ALL` in capDrop keeps only
 * capAdd, and else the defaults minus capDrop plus capAdd. Names are accepted in any case, with or
 * without `CAP_`; an unknown name is invalid-argument (reason `unknown-capability`) naming the option.
 * `available` is the daemon's own bounding set (see {@link capabilitiesFromMask}): when given, "every
 * capability" means every available one (runc cannot grant more: "unable to apply caps"), and adding
 * an unavailable one is invalid-argument (reason `capability-unavailable`), as in Docker.
 */
export function containerCapabilities(input: {
  privileged?: boolean | undefined;
  capAdd?: readonly string[] | undefined;
  capDrop?: readonly string[] | undefined;
  available?: readonly string[] | undefined;
}): string[] {
  const everything = input.available ? ALL_CAPABILITIES.filter((cap) => input.available?.includes(cap)) : [...ALL_CAPABILITIES];
  if (input.privileged === true) return everything;
  const add = normalize(input.capAdd ?? [], 'capAdd');
  const drop = normalize(input.capDrop ?? [], 'capDrop');
  for (const cap of add) {
    if (cap !== 'ALL' && !everything.includes(cap)) {
      throw errors.invalidArgument('capability-unavailable', `capAdd: ${cap} is not available to the daemon on this host`);
    }
  }
  let result: string[];
  if (add.includes('ALL')) result = everything.filter((cap) => !drop.includes(cap));
  else if (drop.includes('ALL')) result = add;
  else result = [...DEFAULT_CAPABILITIES.filter((cap) => !drop.includes(cap)), ...add];
  return [...new Set(result)];
}

/**
 * Capability names of a hex mask as /proc/<pid>/status shows it (`CapBnd: 000001fffeffffff`).
 * Bits above the known capabilities are ignored. Throws invalid-argument for a non-hex mask.
 */
export function capabilitiesFromMask(hexMask: string): string[] {
  if (!/^[0-9a-fA-F]{1,16}$/.test(hexMask.trim())) {
    throw errors.invalidArgument('invalid-capability-mask', `capability mask "${hexMask}" is not hexadecimal`);
  }
  const mask = BigInt(`0x${hexMask.trim()}`);
  return ALL_CAPABILITIES.filter((_cap, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

function normalize(names: readonly string[], option: string): string[] {
  return names.map((name) => {
    const upper = name.trim().toUpperCase();
    if (upper === 'ALL') return upper;
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!KNOWN.has(cap)) throw errors.invalidArgument('unknown-capability', `${option}: unknown capability "${name}"`);
    return cap;
  });
}
