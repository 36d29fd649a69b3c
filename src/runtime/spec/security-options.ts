import { errors } from '../../base/errors.js';
import { parseSeccompProfile, type SeccompProfile } from '../seccomp/seccomp-profile.js';

/** What `securityOpt` asks for, parsed. */
export interface SecurityOptions {
  noNewPrivileges: boolean;
  /** `default`: the daemon's profile; `unconfined`: no filter; else a custom profile. */
  seccomp: 'default' | 'unconfined' | SeccompProfile;
}

/**
 * Parses `--security-opt` values: `no-new-privileges[=true|false]` (also with `:` as Docker's
 * older syntax), `seccomp=unconfined`, `seccomp=<profile JSON text>`. Anything else (including
 * `label=`, `apparmor=`, which this host cannot honour) is invalid-argument naming `securityOpt`.
 */
export function parseSecurityOptions(values: readonly string[]): SecurityOptions {
  const result: SecurityOptions = { noNewPrivileges: false, seccomp: 'default' };
  for (const value of values) {
    if (value === 'no-new-privileges') {
      result.noNewPrivileges = true;
      continue;
    }
    const separator = /[=:]/.exec(value);
    const key = separator ? value.slice(0, separator.index) : value;
    const argument = separator ? value.slice(separator.index + 1) : '';
    if (key === 'no-new-privileges') {
      if (argument !== 'true' && argument !== 'false') {
        throw errors.invalidArgument('invalid-security-opt', `securityOpt "${value}": expected no-new-privileges=true|false`);
      }
      result.noNewPrivileges = argument === 'true';
    } else if (key === 'seccomp' && separator?.[0] === '=') {
      if (argument === 'unconfined') result.seccomp = 'unconfined';
      else if (argument.trimStart().startsWith('{')) result.seccomp = parseSeccompProfile(argument);
      else throw errors.invalidArgument('invalid-security-opt', 'securityOpt seccomp: expected "unconfined" or the profile\'s JSON text');
    } else {
      throw errors.invalidArgument('invalid-security-opt', `securityOpt "${shorten(value)}": not supported (no-new-privileges, seccomp=...)`);
    }
  }
  return result;
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}
