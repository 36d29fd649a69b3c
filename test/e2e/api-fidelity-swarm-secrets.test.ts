// Secrets and configs as dockerd shapes them, with dockerd's answers as the expected ones: the
// same secret, config and service using both are made with the docker CLI on a private dockerd in
// swarm mode (in a network namespace of its own) and on a berth cluster of one manager (a lab
// node). Every key of dockerd's JSON must be in berth's with the same JSON type, a secret's data in
// neither, the references of a service alike, the refusals with dockerd's statuses and words, and
// the docker CLI's tables with dockerd's columns. Needs root, docker.io and the lab.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DOCKER_CLI, dockerCliSkip } from '../support/docker-cli-session.js';
import { labSkipReason } from '../support/lab.js';
import { shapeDifferences, SwarmPair, tableColumns } from '../support/swarm-shapes.js';
import { http } from '../support/side-by-side.js';

const NETNS = 'berth-e2e-swarm-secrets';
const BRIDGE = 'bbsecret0';
const VALUE = 'shape-of-a-secret';

type Daemon = 'dockerd' | 'berthd';

describe('Swarm secrets and configs as dockerd shapes them', { skip: labSkipReason() || dockerCliSkip() || (!existsSync('/usr/sbin/dockerd') && 'needs dockerd (apt-get install docker.io)') }, () => {
  let daemons: SwarmPair | undefined;
  const sockets = { dockerd: '', berthd: '' };
  const docker = (daemon: Daemon, args: string[], input?: string): { status: number | null; stdout: string; stderr: string } =>
    spawnSync(DOCKER_CLI, args, { env: { ...process.env, DOCKER_HOST: `unix://${sockets[daemon]}` }, encoding: 'utf8', timeout: 120_000, ...(input === undefined ? {} : { input }) });
  const ok = (daemon: Daemon, args: string[], input?: string): string => {
    const result = docker(daemon, args, input);
    assert.equal(result.status, 0, `docker ${args.join(' ')} on ${daemon}: ${result.stderr}`);
    return result.stdout;
  };
  const json = async (daemon: Daemon, path: string): Promise<unknown> => {
    const answer = await http(sockets[daemon], 'GET', path);
    assert.equal(answer.status, 200, `${daemon} GET ${path}: ${answer.body}`);
    return JSON.parse(answer.body);
  };
  const both = (path: string): Promise<[unknown, unknown]> => Promise.all([json('dockerd', path), json('berthd', path)]);

  before(async () => {
    daemons = await SwarmPair.start(NETNS, BRIDGE, '172.30.97.1/24');
    Object.assign(sockets, daemons.sockets);
    for (const daemon of ['dockerd', 'berthd'] as const) {
      ok(daemon, ['secret', 'create', '--label', 'team=a', 'shape-secret', '-'], VALUE);
      ok(daemon, ['config', 'create', '--label', 'team=a', 'shape-config', '-'], 'key=value\n');
      ok(daemon, ['service', 'create', '--detach', '--no-resolve-image', '--name', 'uses', '--secret', 'shape-secret',
        '--secret', 'source=shape-secret,target=other,uid=1000,gid=1001,mode=0400', '--config', 'source=shape-config,target=/etc/app.conf,mode=0440',
        'busybox', 'sleep', '1d']);
    }
  });
  after(async () => {
    await daemons?.close();
  });

  test('a secret and a config, inspected and listed: every key of dockerd\'s, with its type; a secret\'s data in neither', async () => {
    const [secret, berthSecret] = await both('/secrets/shape-secret');
    const [secrets, berthSecrets] = await both('/secrets?filters={"name":["shape"]}');
    const [config, berthConfig] = await both('/configs/shape-config');
    const [configs, berthConfigs] = await both('/configs');
    assert.deepEqual({
      secret: shapeDifferences(secret, berthSecret), secrets: shapeDifferences(secrets, berthSecrets),
      config: shapeDifferences(config, berthConfig), configs: shapeDifferences(configs, berthConfigs),
    }, { secret: [], secrets: [], config: [], configs: [] });
    for (const shown of [secret, berthSecret, secrets, berthSecrets]) assert.ok(!JSON.stringify(shown).includes(Buffer.from(VALUE).toString('base64')));
    assert.deepEqual((berthSecret as { Spec: unknown }).Spec, (secret as { Spec: unknown }).Spec);
    assert.deepEqual((berthConfig as { Spec: unknown }).Spec, (config as { Spec: unknown }).Spec);
  });

  test('a service\'s secrets and configs read back as dockerd shows them (ids aside)', async () => {
    const [service, berthService] = await both('/services/uses');
    const refs = (view: unknown): unknown => {
      const container = (view as { Spec: { TaskTemplate: { ContainerSpec: { Secrets?: Record<string, unknown>[]; Configs?: Record<string, unknown>[] } } } }).Spec.TaskTemplate.ContainerSpec;
      // The docker CLI sends the references in no fixed order: compare them sorted.
      const strip = (list: Record<string, unknown>[] | undefined): unknown => (list ?? []).map(({ SecretID: _s, ConfigID: _c, ...rest }) => rest)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return { secrets: strip(container.Secrets), configs: strip(container.Configs) };
    };
    assert.deepEqual(refs(berthService), refs(service));
    assert.deepEqual(shapeDifferences(service, berthService).filter((d) => /Secrets|Configs/.test(d)), []);
  });

  test('refusals have dockerd\'s statuses and words: a name in use, a secret in use, an unknown one, bad sizes and names', async () => {
    for (const [method, path, body] of [
      ['POST', '/secrets/create', JSON.stringify({ Name: 'shape-secret', Data: Buffer.from('x').toString('base64') })],
      ['DELETE', '/secrets/shape-secret', undefined],
      ['DELETE', '/configs/shape-config', undefined],
      ['GET', '/secrets/nosuch', undefined],
      ['POST', '/secrets/create', JSON.stringify({ Name: 'empty', Data: '' })],
      ['POST', '/secrets/create', JSON.stringify({ Name: 'huge', Data: Buffer.alloc(500 * 1024).toString('base64') })],
      ['POST', '/configs/create', JSON.stringify({ Name: 'huge', Data: Buffer.alloc(1000 * 1024 - 1).toString('base64') })],
      ['POST', '/configs/create', JSON.stringify({ Name: 'huger', Data: Buffer.alloc(1000 * 1024).toString('base64') })],
      ['POST', '/secrets/create', JSON.stringify({ Name: 'bad/name', Data: Buffer.from('x').toString('base64') })],
    ] as const) {
      const headers = body === undefined ? {} : { 'content-type': 'application/json' };
      const [want, got] = await Promise.all([http(sockets.dockerd, method, path, body, headers), http(sockets.berthd, method, path, body, headers)]);
      assert.equal(got.status, want.status, `${method} ${path}: ${got.body} vs dockerd's ${want.body}`);
      if (want.status < 400) continue;
      const message = (JSON.parse(got.body) as { message: string }).message;
      assert.ok((JSON.parse(want.body) as { message: string }).message.includes(message), `${method} ${path}: "${message}" is not in dockerd's ${want.body}`);
    }
  });

  test('the docker CLI\'s tables have the same columns', () => {
    for (const args of [['secret', 'ls'], ['config', 'ls']]) assert.deepEqual(tableColumns(ok('berthd', args)), tableColumns(ok('dockerd', args)), args.join(' '));
  });
});
