// GET /events on a berthd of its own (event retention set low): history then live with no gap,
// since/until/filters, the retention bound, and errors for bad parameters. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

interface Event { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; time: number; timeNano: number; status?: string }

describe('GET /events', { skip: needsRoot() }, () => {
  let work: string;
  let daemon: BerthdProcess;

  const open = (path: string): Promise<IncomingMessage> => new Promise((resolve, reject) => {
    const req = request({ socketPath: daemon.socketPath, path, method: 'GET' }, resolve);
    req.on('error', reject);
    req.end();
  });
  const call = (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => new Promise((resolve, reject) => {
    const req = request({ socketPath: daemon.socketPath, path, method, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => { resolve({ status: res.statusCode ?? 0, text }); });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
  const readAll = async (path: string): Promise<Event[]> => {
    const res = await open(path);
    assert.equal(res.statusCode, 200);
    const events: Event[] = [];
    for await (const line of createInterface({ input: res })) if (line !== '') events.push(JSON.parse(line) as Event);
    return events;
  };
  /** Unix seconds, exact to the millisecond (a float's toFixed could land below the current millisecond). */
  const seconds = (ms: number): string => `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
  const now = (): string => seconds(Date.now());
  /** A bound just after everything recorded so far (events in the current millisecond included). */
  const upToNow = (): string => seconds(Date.now() + 1);
  const q = (filters: Record<string, string[]>): string => encodeURIComponent(JSON.stringify(filters));

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-events-'));
    const root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    daemon = await BerthdProcess.start(root, join(work, 'berth.sock'), ['--cgroup-parent', `/${testCgroupName()}`, '--events-max-count', '30']);
  });
  after(async () => {
    await (daemon as BerthdProcess | undefined)?.stop();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('history then live, in order, no gap; ends when the client closes', async () => {
    const since = now();
    const created = JSON.parse((await call('POST', '/v1.43/containers/create?name=s1', { Image: 'busybox', Cmd: ['sleep', '1000'] })).text) as { Id: string };
    const res = await open(`/v1.43/events?since=${since}&filters=${q({ container: ['s1'] })}`);
    assert.equal(res.headers['content-type'], 'application/json');
    const lines = createInterface({ input: res })[Symbol.asyncIterator]();
    const next = async (): Promise<Event> => JSON.parse(String((await lines.next()).value)) as Event;
    const first = await next();
    assert.deepEqual([first.Action, first.status, first.Actor.ID], ['create', 'create', created.Id]);
    assert.ok(String(first.timeNano).startsWith(String(first.time)));
    for (const path of ['start', 'pause', 'unpause', 'kill']) assert.equal((await call('POST', `/v1.43/containers/s1/${path}`)).status, 204);
    assert.equal((await call('POST', '/v1.43/containers/s1/wait')).status, 200); // the exit is recorded before the removal
    assert.equal((await call('DELETE', '/v1.43/containers/s1?force=1')).status, 204);
    const actions: string[] = [];
    while (actions.at(-1) !== 'destroy') actions.push((await next()).Action);
    assert.deepEqual(actions, ['start', 'pause', 'unpause', 'kill', 'die', 'destroy']);
    res.destroy();
  });

  test('since/until bound the history; an until in the past ends the stream; filters by type, event, image', async () => {
    const since = now();
    await call('POST', '/v1.43/containers/create?name=s2', { Image: 'busybox', Cmd: ['true'], Labels: { app: 'x' } });
    await call('DELETE', '/v1.43/containers/s2');
    const until = upToNow();
    const history = await readAll(`/events?since=${since}&until=${until}`);
    assert.deepEqual(history.map((e) => e.Action), ['create', 'destroy']);
    // The create's own time, exactly (timeNano has more digits than a JSON number keeps).
    const raw = await call('GET', `/events?since=${since}&until=${until}&filters=${q({ event: ['create'] })}`);
    const createNs = /"timeNano":(\d+)/.exec(raw.text)?.[1] ?? '0';
    const middle = `${createNs.slice(0, -9)}.${createNs.slice(-9)}`;
    assert.deepEqual((await readAll(`/events?since=${since}&until=${middle}`)).map((e) => e.Action), ['create']);
    assert.deepEqual((await readAll(`/events?since=${middle}&until=${until}&filters=${q({ type: ['container'], event: ['destroy'], image: ['busybox'] })}`)).map((e) => e.Action), ['destroy']);
    assert.deepEqual((await readAll(`/events?since=${since}&until=${until}&filters=${q({ label: ['app=x'], event: ['create'] })}`)).length, 1);
    assert.deepEqual(await readAll(`/events?since=${since}&until=${until}&filters=${q({ type: ['image'] })}`), []);
    const rfc = new Date(Number(since) * 1000 - 1).toISOString();
    assert.deepEqual((await readAll(`/events?since=${rfc}&until=${until}&filters=${q({ container: ['s2'] })}`)).map((e) => e.Action), ['create', 'destroy']);
  });

  test('retention keeps the newest events only', async () => {
    for (let i = 0; i < 12; i++) {
      await call('POST', `/v1.43/containers/create?name=r${i}`, { Image: 'busybox', Cmd: ['true'] });
      await call('DELETE', `/v1.43/containers/r${i}`);
    }
    const all = await readAll(`/events?since=1&until=${upToNow()}`);
    assert.equal(all.length, 30);
    assert.deepEqual(all.slice(-2).map((e) => `${e.Action} ${e.Actor.Attributes.name ?? ''}`), ['create r11', 'destroy r11']);
  });

  test('bad times are 400 naming the parameter; filter keys dockerd does not know are ignored, as it ignores them', async () => {
    const badTime = await call('GET', '/events?since=yesterday');
    assert.equal(badTime.status, 400);
    assert.match((JSON.parse(badTime.text) as { message: string }).message, /^since: "yesterday"/);
    const unknownFilter = await call('GET', `/events?since=1&until=2&filters=${q({ colour: ['red'] })}`);
    assert.equal(unknownFilter.status, 200);
    assert.equal(unknownFilter.text, '');
  });
});
