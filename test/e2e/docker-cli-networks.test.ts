// The docker CLI from Debian's docker.io drives berthd's networks: network create/ls/inspect/
// connect/disconnect/rm/prune, run --network with discovery by name, run -p 127.0.0.1:PORT:80 and
// docker port, --ip/--mac-address/--expose -P, and that nothing of the networks is left on the host afterwards. Traffic goes only
// to loopback and to the containers the test starts. Needs root, runc, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';
import { eventually } from '../integration/engine/engine-fixture.js';
import { freeLoopbackPort } from '../integration/network/network-fixture.js';
import { chooseSubnet, routeDestinations } from '../../src/network/subnet-choice.js';

const WEB = (text: string): string => `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 80 -h /www`;

describe('the docker CLI drives berthd networks', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  const docker = (args: string[], input?: string) => s.docker(args, input);
  const ok = (...args: string[]): string => s.ok(...args);
  const bridges: string[] = [];

  before(async () => {
    s = await DockerCliSession.start('berth-dockercli-n-');
  });
  after(async () => { await s.close({ extra: () => { docker(['network', 'prune', '-f']); } }); });

  test('network create, ls, inspect; run --network finds a container by name and alias', () => {
    const id = ok('network', 'create', '--label', 'team=a', 'appnet').trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(ok('network', 'ls', '--format', '{{.Name}} {{.Driver}}'), /^appnet bridge$/m);
    assert.match(ok('network', 'ls', '--format', '{{.Name}}'), /^bridge$/m);
    const [net] = JSON.parse(ok('network', 'inspect', 'appnet')) as { Id: string; IPAM: { Config: { Subnet: string; Gateway: string }[] }; Labels: Record<string, string>; Options: Record<string, string> }[];
    // As dockerd, inspect shows only the options asked for; berth's bridge is bn-<first 12 of the id>.
    assert.equal(net?.Id, id);
    assert.match(net.IPAM.Config[0]?.Subnet ?? '', /^10\.\d+\.\d+\.0\/24$/);
    assert.deepEqual(net.Labels, { team: 'a' });
    assert.deepEqual(net.Options, {});
    bridges.push(`bn-${id.slice(0, 12)}`);
    ok('run', '-d', '--name', 'api', '--network', 'appnet', '--network-alias', 'backend', 'busybox', 'sh', '-c', WEB('from-api'));
    const out = ok('run', '--rm', '--network', 'appnet', 'busybox', 'sh', '-c',
      'for i in 1 2 3 4 5; do timeout 3 wget -qO- http://api/ && break; sleep 1; done; timeout 3 wget -qO- http://backend/');
    assert.equal(out, 'from-api\nfrom-api\n');
    const ip = ok('inspect', '--format', '{{.NetworkSettings.Networks.appnet.IPAddress}}', 'api').trim();
    assert.match(ip, /^10\./);
    assert.match(ok('network', 'inspect', '--format', '{{range .Containers}}{{.Name}} {{end}}', 'appnet'), /api/);
  });

  test('network connect and disconnect a running container', () => {
    ok('network', 'create', 'othernet');
    ok('run', '-d', '--name', 'lone', '--network', 'othernet', 'busybox', 'sleep', '300');
    assert.notEqual(docker(['exec', 'lone', 'timeout', '3', 'wget', '-qO-', 'http://api/']).code, 0);
    ok('network', 'connect', 'appnet', 'lone');
    assert.equal(ok('exec', 'lone', 'timeout', '3', 'wget', '-qO-', 'http://api/'), 'from-api\n');
    ok('network', 'disconnect', 'appnet', 'lone');
    assert.notEqual(docker(['exec', 'lone', 'timeout', '3', 'wget', '-qO-', 'http://api/']).code, 0);
  });

  test('a create as docker 25+ CLIs send it (NetworkMode and EndpointsConfig "default") lands on bridge', () => {
    const body = JSON.stringify({ Image: 'busybox', Cmd: ['true'], HostConfig: { NetworkMode: 'default' }, NetworkingConfig: { EndpointsConfig: { default: { Aliases: null, MacAddress: '' } } } });
    const out = execFileSync('curl', ['-sS', '--unix-socket', s.daemon.socketPath, '-H', 'Content-Type: application/json', '-d', body, '-w', '\n%{http_code}', 'http://berth/v1.43/containers/create'], { encoding: 'utf8' });
    const [json = '', code] = out.split('\n');
    assert.equal(code, '201', json);
    const { Id } = JSON.parse(json) as { Id: string };
    ok('start', Id);
    assert.equal(ok('wait', Id).trim(), '0');
    assert.match(ok('inspect', '-f', '{{json .NetworkSettings.Networks}}', Id), /"bridge"/);
    ok('rm', Id);
  });

  test('run -p 127.0.0.1:PORT:80 answers from the host; docker port shows it', async () => {
    const port = await freeLoopbackPort();
    ok('run', '-d', '--name', 'pub', '-p', `127.0.0.1:${port}:80`, 'busybox', 'sh', '-c', WEB('published'));
    let body = '';
    await eventually('the published port to answer', async () => {
      body = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text(), () => '');
      return body !== '';
    });
    assert.equal(body, 'published\n');
    assert.equal(ok('port', 'pub', '80').trim(), `127.0.0.1:${port}`);
  });

  test('run --ip and --mac-address on a network with a user subnet; --expose with -P on its binding address 127.0.0.1', async () => {
    const routes = routeDestinations(execFileSync('ip', ['-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8' }));
    const { subnet } = chooseSubnet(routes);
    const ip = subnet.replace(/0\/24$/, '9');
    ok('network', 'create', '--subnet', subnet, '-o', 'com.docker.network.bridge.host_binding_ipv4=127.0.0.1', 'lan');
    const out = ok('run', '--rm', '--network', 'lan', '--ip', ip, '--mac-address', '02:42:0a:00:00:09', 'busybox', 'sh', '-c', 'ip -o -4 addr show eth0; ip link show eth0');
    assert.match(out, new RegExp(`inet ${ip.replace(/\./g, '\\.')}/24 `));
    assert.match(out, /link\/ether 02:42:0a:00:00:09 /);
    ok('network', 'create', 'autonet');
    const refused = docker(['run', '--rm', '--network', 'autonet', '--ip', ip, 'busybox', 'true']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /user configured subnets/);
    ok('run', '-d', '--name', 'exp', '--network', 'lan', '--ip', ip, '--expose', '8081', '-P', 'busybox', 'sh', '-c', WEB('exposed').replace('-p 80', '-p 8081'));
    assert.equal(ok('inspect', '--format', '{{.NetworkSettings.Networks.lan.IPAMConfig.IPv4Address}}', 'exp').trim(), ip);
    const [host, port] = ok('port', 'exp', '8081').trim().split(':');
    assert.equal(host, '127.0.0.1');
    let body = '';
    await eventually('the exposed port to answer', async () => {
      body = await fetch(`http://127.0.0.1:${port ?? ''}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text(), () => '');
      return body !== '';
    });
    assert.equal(body, 'exposed\n');
    const clash = docker(['run', '--rm', '--network', 'lan', '--ip', ip, 'busybox', 'true']);
    assert.notEqual(clash.code, 0);
    assert.match(clash.err, /already in use/);
    ok('rm', '-f', 'exp');
    ok('network', 'rm', 'lan', 'autonet');
  });

  test('rm and network rm/prune leave no bridge, namespace or rule', async () => {
    assert.notEqual(docker(['network', 'rm', 'appnet']).code, 0, 'a network in use is not removed');
    assert.notEqual(docker(['network', 'rm', 'bridge']).code, 0, 'the default network is predefined');
    ok('rm', '-f', 'api', 'lone', 'pub');
    ok('network', 'rm', 'othernet');
    assert.match(ok('network', 'prune', '-f'), /appnet/);
    assert.deepEqual(ok('network', 'ls', '--format', '{{.Name}}').trim().split('\n'), ['bridge']);
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').filter((l) => bridges.some((b) => l.includes(b)));
    assert.deepEqual(links, []);
    assert.deepEqual(await readdir(join(s.root, 'network', 'netns')).catch(() => []), []);
    const rules = execFileSync('iptables-save', [], { encoding: 'utf8' }).split('\n').filter((l) => bridges.some((b) => l.includes(b)));
    assert.deepEqual(rules, []);
  });
});
