// A real zombie process for tests of "is the owner alive": a background job whose parent
// (`sleep`, which never waits) does not reap it. A signal still reaches its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export interface Zombie {
  pid: number;
  /** The parent that keeps the zombie unreaped; kill it to end both. */
  parent: ChildProcess;
}

/** Resolves once the job is a zombie (state Z), within a bound. */
export async function makeZombie(boundMs = 10_000): Promise<Zombie> {
  const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const [line] = (await once(parent.stdout, 'data')) as [Buffer];
  const pid = Number(line.toString().trim());
  const deadline = Date.now() + boundMs;
  while (!readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) {
    if (Date.now() > deadline) {
      parent.kill('SIGKILL');
      throw new Error(`process ${pid} did not become a zombie`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { pid, parent };
}
