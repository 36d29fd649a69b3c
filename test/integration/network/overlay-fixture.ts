// Two berthd nodes for the overlay tests, without a cluster: the lab's pieces (src/lab/) give each
// node its own network namespace on a test bridge and start berthd there (the berthd of this build,
// through a launcher file); the teardown is the lab's (every process, cgroup, mount, namespace and
// link). Names carry the test process's pid and start time, so `sweepTestLabs` removes what a killed
// run left. Traffic stays between the namespaces made here.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { spawnBerthd, waitReady } from '../../../src/lab/berthd-launcher.js';
import { LabNames, type LabNodeNames } from '../../../src/lab/lab-names.js';
import { LabNetwork } from '../../../src/lab/lab-network.js';
import { chooseLabSubnet } from '../../../src/lab/lab-subnet.js';
import { tearDownLab } from '../../../src/lab/lab-teardown.js';
import { berthAt, type CliResult } from '../../support/berth-cli.js';
import { busyboxTar, sweepTestLabs, TEST_LAB_HOME, testLabName } from '../../support/lab.js';

export const runner = new ChildProcessRunner();
/** This build's daemon module (…/test/integration/network/ → …/src/daemon/berthd.js). */
const DAEMON = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src', 'daemon', 'berthd.js');

export interface OverlayNode extends LabNodeNames {
  /** Underlay address (eth0 in the node's namespace). */
  address: string;
  pid: number;
}

export class OverlayNodes {
  private constructor(readonly names: LabNames, readonly network: LabNetwork, readonly nodes: OverlayNode[], private readonly launcher: string) {}

  /** Sweeps killed runs' leftovers, then makes `count` nodes with berthd running and busybox loaded. */
  static async start(count: number): Promise<OverlayNodes> {
    await sweepTestLabs();
    const names = new LabNames(testLabName(), TEST_LAB_HOME);
    const network = new LabNetwork(runner, names);
    await mkdir(names.dir, { recursive: true, mode: 0o711 });
    const launcher = join(names.dir, 'berthd.mjs');
    await writeFile(launcher, `import { main } from ${JSON.stringify(pathToFileURL(DAEMON).href)};\nprocess.exitCode = await main(process.argv);\n`);
    const made = new OverlayNodes(names, network, [], launcher);
    try {
      const subnet = chooseLabSubnet(count, await network.routeDestinations());
      await network.createBridge(`${subnet.hostAddress}/${subnet.prefix}`);
      for (let i = 0; i < count; i++) {
        const n = names.node(`w${i + 1}`, i);
        const address = subnet.nodeAddresses[i] ?? '';
        await mkdir(n.root, { recursive: true, mode: 0o711 });
        await network.createNode(n, `${address}/${subnet.prefix}`);
        made.nodes.push({ ...n, address, pid: 0 });
      }
      for (const node of made.nodes) await made.startNode(node);
      const tar = await busyboxTar();
      for (const node of made.nodes) await made.cliOk(node, ['load', '-i', tar]);
    } catch (err) {
      await made.close();
      throw err;
    }
    return made;
  }

  node(index: number): OverlayNode {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`no node ${index}`);
    return node;
  }

  async startNode(node: OverlayNode): Promise<void> {
    node.pid = await spawnBerthd(node, this.launcher);
    await waitReady(node, node.pid, 60_000, () => readFile(node.log, 'utf8').catch(() => ''));
  }

  /** SIGTERM (a clean stop: berthd releases idle networks) and waits until it is gone. */
  async stopNode(node: OverlayNode): Promise<void> {
    process.kill(node.pid, 'SIGTERM');
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await this.network.pidsIn(node.netns)).includes(node.pid)) await new Promise((r) => setTimeout(r, 50));
  }

  /** SIGKILL (a crash: nothing of berthd's shutdown runs) and waits until it is gone. */
  async killNode(node: OverlayNode): Promise<void> {
    process.kill(node.pid, 'SIGKILL');
    const until = Date.now() + 60_000;
    while (Date.now() < until && (await this.network.pidsIn(node.netns)).includes(node.pid)) await new Promise((r) => setTimeout(r, 50));
  }

  cli(node: OverlayNode, args: string[]): Promise<CliResult> {
    return berthAt(node.socket, args);
  }

  async cliOk(node: OverlayNode, args: string[]): Promise<string> {
    const result = await berthAt(node.socket, args);
    if (result.code !== 0) throw new Error(`berth ${args.join(' ')} on ${node.node}: ${result.stderr}`);
    return result.stdout;
  }

  /** A command in the node's namespace (stdout; '' when it fails). */
  async inNode(node: OverlayNode, command: string[]): Promise<string> {
    const [cmd = '', ...args] = command;
    return (await runner.run('ip', ['netns', 'exec', node.netns, cmd, ...args]).catch(() => ({ stdout: '' }))).stdout;
  }

  /** A command in a container's network namespace (its file under the node's state root). */
  async inContainerNetns(node: OverlayNode, containerId: string, command: string[]): Promise<string> {
    const netns = join(node.root, 'network', 'netns', containerId);
    return (await runner.run('nsenter', [`--net=${netns}`, ...command]).catch(() => ({ stdout: '' }))).stdout;
  }

  /** Removes everything (idempotent). */
  async close(): Promise<void> {
    await tearDownLab(runner, this.names, this.network, undefined);
  }
}
