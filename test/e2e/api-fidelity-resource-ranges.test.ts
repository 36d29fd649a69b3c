// Resource fields of container create and update checked as dockerd checks them, berthd beside a
// private dockerd in the same test: for a table of bad values both answer with the same status and
// message (dockerd's answer is the expected one), good edge values are taken by both (with the
// same warnings) and the containers start; integers beyond what a field's Go type holds get Go's
// decoding message. Then berth's own size limits (labels, env, arguments, names, the JSON body),
// which dockerd does not have. Needs root, runc, conmon, dockerd, python3-docker.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import { http, SideBySide, sideBySideSkip, type Daemon } from '../support/side-by-side.js';
import { removeAll } from '../support/create-fields.js';

interface Answer {
  status: number;
  message: string;
  warnings: string[];
  id: string;
}

/** A POST with a JSON body given as text (so it can hold integers beyond 2^53), answered as parsed. */
async function post(daemon: Daemon, path: string, text?: string): Promise<Answer> {
  const answer = await http(daemon.socketPath, 'POST', `/v1.41${path}`, text, text === undefined ? {} : { 'Content-Type': 'application/json' });
  const json = (answer.body.trim() === '' ? {} : JSON.parse(answer.body)) as { message?: string; Warnings?: string[] | null; Id?: string };
  return { status: answer.status, message: json.message ?? '', warnings: json.Warnings ?? [], id: json.Id ?? '' };
}

/**
 * A POST announcing `length` bytes of JSON but sending only the first: berthd answers from the
 * Content-Length alone (and closes the connection), so the answer is read before the rest is due.
 */
function postTooLarge(daemon: Daemon, path: string, length: number): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: daemon.socketPath, method: 'POST', path, headers: { Host: 'docker', 'Content-Type': 'application/json', 'Content-Length': length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, message: (JSON.parse(Buffer.concat(chunks).toString()) as { message: string }).message });
      });
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    req.write('{"Image":"busybox","Labels":{"big":"');
  });
}

const createBody = (hostConfig: string, extra = ''): string => `{"Image":"busybox","Cmd":["sleep","3600"]${extra},"HostConfig":{"NetworkMode":"none"${hostConfig === '' ? '' : `,${hostConfig}`}}}`;
const CPUS = availableParallelism();
const MiB = 1024 * 1024;

/** Refused by dockerd's checks of the values (HostConfig fields as JSON text), at create and at update. */
const REFUSED = [
  '"NanoCpus":1000000000000000', '"NanoCpus":-1', `"NanoCpus":${CPUS * 1e9 + 1}`, '"NanoCpus":1000000000,"CpuPeriod":100000', '"NanoCpus":1000000000,"CpuQuota":100000',
  '"CpuPeriod":999', '"CpuPeriod":1000001', '"CpuQuota":999',
  '"Memory":1', `"Memory":${6 * MiB - 1}`, '"MemoryReservation":1', `"Memory":${10 * MiB},"MemoryReservation":${20 * MiB}`, `"Memory":${10 * MiB},"MemorySwap":${9 * MiB}`,
  '"MemorySwappiness":101', '"MemorySwappiness":-2', '"MemorySwappiness":1152921504606846976', '"KernelMemory":1',
  '"CpusetCpus":"4096"', '"CpusetCpus":"abc"', '"CpusetCpus":"1-0"', '"CpusetCpus":"9000"', '"CpusetMems":"64"', '"CpusetMems":"x"',
];
/** Refused at create only (update has no such field, or takes it). */
const REFUSED_AT_CREATE = [
  `"MemorySwap":${9 * MiB}`, '"OomScoreAdj":1001', '"OomScoreAdj":-1001', '"OomScoreAdj":1152921504606846976', '"ShmSize":-1',
];
/** Numbers the field's Go type cannot hold: Go's decoding message (dockerd 20.10 answers 500, later versions and berthd 400). */
const UNDECODABLE = [
  '"Memory":9223372036854775808', '"Memory":-9223372036854775809', '"Memory":18446744073709551616', '"Memory":100.5', '"CpuShares":9223372036854775808',
  '"PidsLimit":9223372036854775808', '"BlkioWeight":-1', '"BlkioWeight":70000', '"Ulimits":[{"Name":"nofile","Soft":9223372036854775808,"Hard":1}]',
  '"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":9223372036854775808}',
];
const UNDECODABLE_AT_CREATE = [
  '"OomScoreAdj":9223372036854775808', '"ConsoleSize":[-1,5]', '"Mounts":[{"Type":"tmpfs","Target":"/x","TmpfsOptions":{"Mode":-1}}]',
  '"IOMaximumIOps":5', '"IOMaximumBandwidth":5',
];
/** Good edge values, taken by both (some with warnings); the containers start on both (or on neither). */
const ACCEPTED = [
  `"NanoCpus":${CPUS * 1e9},"CpuShares":2,"OomScoreAdj":1000,"MemorySwappiness":100`, '"NanoCpus":1', '"CpuPeriod":1000000,"CpuQuota":1000', '"CpuPeriod":1000,"CpuQuota":-1',
  '"Memory":9223372036854775807', '"Memory":9223372036854775807,"MemorySwap":9223372036854775807', `"Memory":${64 * MiB},"MemorySwap":-1,"MemoryReservation":${6 * MiB}`,
  `"Memory":${64 * MiB},"MemorySwap":${64 * MiB},"MemorySwappiness":0`, '"OomScoreAdj":-1000', '"ShmSize":9223372036854775807', '"PidsLimit":4194304',
  `"KernelMemory":${6 * MiB}`, '"BlkioWeight":10,"CpuPercent":50', '"BlkioWeight":9,"BlkioWeightDevice":[{"Path":"/dev/null","Weight":5}]', `"CpusetCpus":"0-${CPUS - 1}","CpusetMems":"0"`,
  '"Ulimits":[{"Name":"core","Soft":9223372036854775807,"Hard":9223372036854775807}]', '"ConsoleSize":[1,9223372036854775808]',
];
const ACCEPTED_BY_UPDATE = [
  `"NanoCpus":${CPUS * 1e9}`, '"CpusetCpus":"0","CpusetMems":"0"', '"MemorySwappiness":100', `"KernelMemory":${6 * MiB}`,
  `"CpuShares":2,"PidsLimit":4194304,"MemoryReservation":${6 * MiB}`, '"Memory":9223372036854775807,"MemorySwap":-1', '"BlkioWeight":10,"CpuPercent":5',
];

describe('resource ranges as dockerd checks them, berthd beside dockerd', { skip: sideBySideSkip() }, () => {
  let pair: SideBySide;
  /** A running container on each daemon, for the updates. */
  const running = new Map<string, string>();
  before(async () => {
    pair = await SideBySide.start('berth-e2e-resource-ranges-');
    for (const daemon of pair.daemons) {
      const created = await post(daemon, '/containers/create', createBody(''));
      assert.equal((await post(daemon, `/containers/${created.id}/start`)).status, 204);
      running.set(daemon.name, created.id);
    }
  });
  after(async () => {
    await pair.close(async () => {
      for (const daemon of pair.daemons) await removeAll(daemon);
    });
  });
  /** The same request on both daemons: dockerd's answer first, then berthd's. */
  const onBoth = async (path: (daemon: Daemon) => string, text: string): Promise<[Answer, Answer]> =>
    [await post(pair.daemon('dockerd'), path(pair.daemon('dockerd')), text), await post(pair.daemon('berthd'), path(pair.daemon('berthd')), text)];
  const create = () => '/containers/create';
  const update = (daemon: Daemon) => `/containers/${running.get(daemon.name) ?? ''}/update`;

  test('bad values: the same status and message as dockerd, at create and at update', async () => {
    for (const [rows, path, body] of [[[...REFUSED, ...REFUSED_AT_CREATE], create, createBody], [REFUSED, update, (text: string) => `{${text}}`]] as const) {
      for (const row of rows) {
        const [dockerd, berth] = await onBoth(path, body(row));
        assert.equal(dockerd.status, 400, `dockerd ${row}: ${dockerd.message}`);
        assert.deepEqual({ status: berth.status, message: berth.message }, { status: dockerd.status, message: dockerd.message }, row);
      }
    }
  });

  test("numbers a field's Go type cannot hold: Go's decoding message, at create and at update", async () => {
    for (const [rows, path, body] of [[[...UNDECODABLE, ...UNDECODABLE_AT_CREATE], create, createBody], [UNDECODABLE, update, (text: string) => `{${text}}`]] as const) {
      for (const row of rows) {
        const [dockerd, berth] = await onBoth(path, body(row));
        assert.ok(dockerd.status === 400 || dockerd.status === 500, `dockerd ${row}: ${dockerd.status}`);
        assert.deepEqual({ status: berth.status, message: berth.message }, { status: 400, message: dockerd.message }, row);
      }
    }
    const [dockerd, berth] = await onBoth(create, createBody('"MemorySwappiness":9223372036854775807', ',"StopTimeout":9223372036854775808'));
    assert.equal(berth.message, dockerd.message);
    assert.equal(berth.message, 'json: cannot unmarshal number 9223372036854775808 into Go struct field ContainerConfigWrapper.StopTimeout of type int');
  });

  test('good edge values: both take them with the same warnings, and start the containers alike', async () => {
    for (const row of ACCEPTED) {
      const [dockerd, berth] = await onBoth(create, createBody(row));
      assert.equal(dockerd.status, 201, `dockerd ${row}: ${dockerd.message}`);
      assert.deepEqual({ status: berth.status, message: berth.message, warnings: berth.warnings }, { status: 201, message: '', warnings: dockerd.warnings }, row);
      // What dockerd starts, berthd starts; what this host refuses to dockerd (OomScoreAdj -1000 where
      // the daemons may not lower their own score), it refuses to berthd too.
      const dockerdStart = await post(pair.daemon('dockerd'), `/containers/${dockerd.id}/start`);
      const berthStart = await post(pair.daemon('berthd'), `/containers/${berth.id}/start`);
      assert.equal(berthStart.status === 204, dockerdStart.status === 204, `${row}: dockerd ${dockerdStart.message}, berthd ${berthStart.message}`);
    }
    for (const row of ACCEPTED_BY_UPDATE) {
      const [dockerd, berth] = await onBoth(update, `{${row}}`);
      assert.equal(dockerd.status, 200, `dockerd ${row}: ${dockerd.message}`);
      assert.deepEqual({ status: berth.status, warnings: berth.warnings }, { status: 200, warnings: dockerd.warnings }, row);
    }
  });

  test("berth's size limits: refused naming the field, its size and the limit; normal values work", async () => {
    const berthd = pair.daemon('berthd');
    const label = (size: number) => `,"Labels":{"big":"${'v'.repeat(size)}"}`;
    // dockerd takes a 100 KiB label; berthd refuses it, and takes 60 KiB.
    const [dockerd, berth] = await onBoth(create, createBody('', label(100 * 1024)));
    assert.equal(dockerd.status, 201);
    assert.deepEqual([berth.status, berth.message], [400, 'label "big" value is 102400 bytes, the limit is 65536']);
    const taken = await post(berthd, '/containers/create', createBody('', label(60 * 1024)));
    assert.equal(taken.status, 201, taken.message);
    const labels = (await berthd.client.getContainer(taken.id).inspect()).Config.Labels;
    assert.equal(labels.big?.length, 60 * 1024);
    const tenMiB = await postTooLarge(berthd, '/v1.41/containers/create', 10 * 1024 * 1024 + 40);
    assert.deepEqual(tenMiB, { status: 413, message: 'request body is larger than 4194304 bytes, the limit for a JSON body' });
    const refusals: [string, string, string][] = [
      ['/containers/create', createBody('', `,"Env":["A=${'a'.repeat(200 * 1024)}"]`), `Env[0] "A=${'a'.repeat(38)}…" is 204802 bytes, the limit is 131072`],
      ['/containers/create', createBody('', `,"Hostname":"${'h'.repeat(65)}"`), 'Hostname is 65 bytes, the limit is 64'],
      [`/containers/create?name=${'c'.repeat(256)}`, createBody(''), `container name "${'c'.repeat(40)}…" is 256 bytes, the limit is 255`],
      ['/containers/create', createBody(`"Binds":["${'v'.repeat(256)}:/data"]`), `volume name "${'v'.repeat(40)}…" is 256 bytes, the limit is 255`],
      ['/volumes/create', `{"Name":"${'v'.repeat(256)}"}`, `volume name "${'v'.repeat(40)}…" is 256 bytes, the limit is 255`],
      ['/networks/create', `{"Name":"ranges-net"${label(100 * 1024)}}`, 'label "big" value is 102400 bytes, the limit is 65536'],
      [`/containers/${running.get('berthd') ?? ''}/exec`, `{"Cmd":["echo","${'x'.repeat(200 * 1024)}"]}`, `Cmd[1] "${'x'.repeat(40)}…" is 204800 bytes, the limit is 131072`],
    ];
    for (const [path, text, message] of refusals) assert.deepEqual(await post(berthd, path, text).then((a) => [a.status, a.message]), [400, message], path);
    const volume = await post(berthd, '/volumes/create', `{"Name":"ranges-volume"${label(60 * 1024)}}`);
    assert.equal(volume.status, 201, volume.message);
    await berthd.client.getVolume('ranges-volume').remove();
  });
});
