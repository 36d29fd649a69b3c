/**
 * The composition root of the `berth` process (bin/berth.js): the CLI (cli/main.ts) with the parts
 * it runs in this process rather than in berthd — the image service of a state root for `--root`,
 * the scanner, the registry server, `cp`'s tar code, the process runner. cli/ declares these ports
 * (cli/berth-ports.ts) and never imports their implementations; each loads on first use, so a
 * command that only talks to berthd loads none of them.
 */
import type { Readable } from 'node:stream';
import type { BerthPorts, HostFiles } from '../cli/berth-ports.js';
import { main as cliMain } from '../cli/main.js';
import { processRunner as runner } from './berth-process/process-parts.js';

/** `cp`'s tar code, loaded when `cp` runs. */
function lazyHostFiles(): HostFiles {
  const load = async (): Promise<HostFiles> => (await import('./berth-process/host-files.js')).hostFiles(runner);
  return {
    unpack: async (tar: Readable, target: string) => { await (await load()).unpack(tar, target); },
    pack: async (dir: string, name: string, as: string) => (await load()).pack(dir, name, as),
  };
}

/** The ports of this process. */
export function berthPorts(): BerthPorts {
  const images = async () => (await import('./berth-process/image-local.js')).localImageCommands;
  return {
    runner,
    hostFiles: lazyHostFiles(),
    inProcess: {
      images: {
        list: async (...args) => (await images()).list(...args),
        inspect: async (...args) => (await images()).inspect(...args),
        history: async (...args) => (await images()).history(...args),
        tag: async (...args) => (await images()).tag(...args),
        remove: async (...args) => (await images()).remove(...args),
        load: async (...args) => (await images()).load(...args),
        save: async (...args) => (await images()).save(...args),
        import: async (...args) => (await images()).import(...args),
        prune: async (...args) => (await images()).prune(...args),
        diskUsage: async (...args) => (await images()).diskUsage(...args),
      },
      bootstrap: async (...args) => (await import('./berth-process/image-local.js')).bootstrap(...args),
      pull: async (...args) => (await import('./berth-process/distribution-local.js')).pullInProcess(...args),
      push: async (...args) => (await import('./berth-process/distribution-local.js')).pushInProcess(...args),
      checkCredentials: async (...args) => (await import('./berth-process/distribution-local.js')).checkCredentialsInProcess(...args),
    },
    scanner: {
      scan: async (...args) => (await import('./berth-process/scanner-local.js')).localScanner.scan(...args),
      sbom: async (...args) => (await import('./berth-process/scanner-local.js')).localScanner.sbom(...args),
      importDatabase: async (...args) => (await import('./berth-process/scanner-local.js')).localScanner.importDatabase(...args),
      updateDatabase: async (...args) => (await import('./berth-process/scanner-local.js')).localScanner.updateDatabase(...args),
    },
    registry: {
      serve: async (...args) => (await import('./berth-process/registry-serve.js')).registryServerCommands.serve(...args),
      collect: async (...args) => (await import('./berth-process/registry-serve.js')).registryServerCommands.collect(...args),
    },
    lab: {
      up: async (...args) => (await import('./berth-process/lab-run.js')).labCommands(runner).up(...args),
      down: async (...args) => (await import('./berth-process/lab-run.js')).labCommands(runner).down(...args),
      status: async (...args) => (await import('./berth-process/lab-run.js')).labCommands(runner).status(...args),
    },
    policy: {
      check: async (...args) => (await import('./berth-process/policy-check-local.js')).checkPolicy(...args),
    },
    signing: {
      generateKeyPair: async (...args) => (await import('./berth-process/signing-local.js')).localSigning.generateKeyPair(...args),
      sign: async (...args) => (await import('./berth-process/signing-local.js')).localSigning.sign(...args),
      attest: async (...args) => (await import('./berth-process/signing-local.js')).localSigning.attest(...args),
      verify: async (...args) => (await import('./berth-process/signing-local.js')).localSigning.verify(...args),
    },
  };
}

/** Runs the berth CLI with `argv` (process.argv form) and returns the exit code. */
export function main(argv: string[]): Promise<number> {
  return cliMain(argv, berthPorts());
}
