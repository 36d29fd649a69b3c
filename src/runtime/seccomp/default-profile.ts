import profile from './default-profile.json' with { type: 'json' };
import { seccompProfileSchema, type SeccompProfile } from './seccomp-profile.js';

/**
 * Docker's default seccomp profile: moby/profiles `seccomp/default.json` (Apache-2.0, vendored in
 * moby/moby at b985e2313a86), kept as `default-profile.json` next to this file with its conditions
 * (`includes`/`excludes` on caps, arches and kernel versions), so that `seccompForCapabilities` can
 * evaluate it for any capability set. Checked against the profile schema when loaded. Treat it as
 * read-only; the evaluator never mutates it.
 */
export const DEFAULT_SECCOMP_PROFILE: SeccompProfile = seccompProfileSchema.parse(profile);
