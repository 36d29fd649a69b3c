import { errors } from '../../base/errors.js';

/**
 * `linux.sysctl`: Docker's defaults for a private network namespace (`net.ipv4.ping_group_range`
 * = "0 2147483647" so unprivileged ping works, `net.ipv4.ip_unprivileged_port_start` = "0"), then
 * `kernel.domainname` when a domain name is set with a private UTS namespace, then the user's
 * sysctls (which win). A user sysctl must be namespaced: `net.*` needs a private network namespace;
 * `kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*` need a private IPC namespace. Anything
 * else is invalid-argument (reason `invalid-sysctl`) naming `sysctls`.
 */
export function containerSysctls(input: {
  sysctls: Readonly<Record<string, string>> | undefined;
  privateNetwork: boolean;
  privateIpc: boolean;
  privateUts: boolean;
  domainname: string | undefined;
}): Record<string, string> {
  const result: Record<string, string> = {};
  if (input.privateNetwork) {
    result['net.ipv4.ping_group_range'] = '0 2147483647';
    result['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  if (input.domainname !== undefined && input.domainname !== '' && input.privateUts) {
    result['kernel.domainname'] = input.domainname;
  }
  for (const [name, value] of Object.entries(input.sysctls ?? {})) {
    if (isIpcSysctl(name)) {
      if (!input.privateIpc) fail(`sysctls: "${name}" is not allowed with the host's IPC namespace`);
    } else if (name.startsWith('net.')) {
      if (!input.privateNetwork) fail(`sysctls: "${name}" is not allowed with the host's network namespace`);
    } else {
      fail(`sysctls: "${name}" is not a namespaced sysctl (allowed: net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*)`);
    }
    result[name] = value;
  }
  return result;
}

function isIpcSysctl(name: string): boolean {
  return name === 'kernel.sem' || name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name.startsWith('fs.mqueue.');
}

function fail(message: string): never {
  throw errors.invalidArgument('invalid-sysctl', message);
}
