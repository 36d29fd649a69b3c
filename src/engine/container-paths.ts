/**
 * Where a container's files live under the state root. The container directory is also its OCI
 * bundle (conmon puts its `ctl` and `winsz` FIFOs there):
 *
 *   containers/<id>/config.json   runtime spec         containers/<id>/rootfs/      overlay mount
 *   containers/<id>/hosts, hostname, resolv.conf       containers/<id>/container.log
 *   containers/<id>/persist/      conmon's exit + oom  containers/<id>/conmon/      conmon's cwd
 *   containers/<id>/exec/<exec>/  one dir per exec     exits/<id>                   exit code
 *   runc/                         runc's --root        sockets/                     attach sockets
 *   runtime/<name>/               another runtime's --root (crun)    runtime/crun-hybrid   crun's wrapper
 *   containers/<id>/layers/<n>/   id-mapped views of the image layers (--userns auto)
 *   containers/<id>/<id>-json.log[.N[.gz]]   json-file log    containers/<id>/local-logs/   local log
 *   containers/<id>/log-copy.json how far container.log was copied into them
 *   containers/<id>/commit-pause  a commit froze the container (thawed after a crash cut the commit short)
 */
import { join } from 'node:path';

export class ContainerPaths {
  constructor(readonly root: string) {}

  get containers(): string { return join(this.root, 'containers'); }
  get exits(): string { return join(this.root, 'exits'); }
  get runtimeRoot(): string { return join(this.root, 'runc'); }
  /** Generated runtime wrappers; other runtimes' state dirs below it. */
  get runtimes(): string { return join(this.root, 'runtime'); }
  get sockets(): string { return join(this.root, 'sockets'); }

  /** The `--root` of the runtime named so (runc keeps its first place, `runc/`). */
  runtimeState(name: string): string { return name === 'runc' ? this.runtimeRoot : join(this.runtimes, name); }

  dir(id: string): string { return join(this.containers, id); }
  rootfs(id: string): string { return join(this.dir(id), 'rootfs'); }
  spec(id: string): string { return join(this.dir(id), 'config.json'); }
  /** conmon's k8s-file: the log of a k8s-file container, the spool of json-file and local ones. */
  log(id: string): string { return join(this.dir(id), 'container.log'); }
  jsonLog(id: string): string { return join(this.dir(id), `${id}-json.log`); }
  localLog(id: string): string { return join(this.dir(id), 'local-logs', 'container.log'); }
  logCheckpoint(id: string): string { return join(this.dir(id), 'log-copy.json'); }
  persist(id: string): string { return join(this.dir(id), 'persist'); }
  conmonDir(id: string): string { return join(this.dir(id), 'conmon'); }
  pidFile(id: string): string { return join(this.dir(id), 'pid'); }
  conmonPidFile(id: string): string { return join(this.dir(id), 'conmon.pid'); }
  execDir(id: string, execId: string): string { return join(this.dir(id), 'exec', execId); }
  layerViews(id: string): string { return join(this.dir(id), 'layers'); }
  commitPause(id: string): string { return join(this.dir(id), 'commit-pause'); }
  etcFile(id: string, name: 'hosts' | 'hostname' | 'resolv.conf'): string { return join(this.dir(id), name); }

  /** The active snapshot that holds the container's writable layer. */
  snapshotKey(id: string): string { return `container/${id}`; }
}
