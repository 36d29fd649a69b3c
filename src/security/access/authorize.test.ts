import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, type Identity } from './authorize.js';
import { describeApiRequest, type ApiRequest } from './api-permissions.js';
import { parseRoleFile } from './role-file.js';
import { BUILT_IN_ROLES, type Role } from './roles.js';

const roles: ReadonlyMap<string, Role> = new Map([...BUILT_IN_ROLES, ...parseRoleFile(`
roles:
  team-a:
    grants:
      - resources: [containers]
        verbs: [read, create, start, exec]
        labels: { team: a }
`, 'roles.yaml')]);

const as = (role: string): Identity => ({ kind: 'token', name: 'ci', role });
const api = (method: string, route: string, extra: Partial<ApiRequest> = {}): ApiRequest => ({ method, route, params: {}, query: {}, body: undefined, ...extra });
const decide = (role: string, request: ApiRequest, labels?: Record<string, string>) => {
  const described = describeApiRequest(request);
  return authorize(as(role), described, roles, labels ?? described.labels);
};

describe('authorize', () => {
  it('lets a viewer list but not create, naming the permission', () => {
    assert.deepEqual(decide('viewer', api('GET', '/containers/json')), { allowed: true });
    const refused = decide('viewer', api('POST', '/containers/create', { body: { Image: 'busybox' } }));
    assert.deepEqual(refused, {
      allowed: false, permission: 'containers.create',
      message: "permission denied: POST /containers/create requires 'containers.create' (token ci has role viewer)",
    });
  });

  it('lets an operator run containers, but not privileged, with host mounts or host namespaces', () => {
    assert.equal(decide('operator', api('POST', '/containers/create', { body: { Image: 'x', HostConfig: { Binds: ['data:/data'] } } })).allowed, true);
    const cases: [unknown, string, string][] = [
      [{ Privileged: true }, 'containers.privileged', 'privileged'],
      [{ CapAdd: ['SYS_ADMIN'] }, 'containers.privileged', 'cap-add SYS_ADMIN'],
      [{ Binds: ['/etc:/host-etc'] }, 'containers.host-mounts', 'a bind mount of /etc'],
      [{ Mounts: [{ Type: 'bind', Source: '/', Target: '/host' }] }, 'containers.host-mounts', 'a bind mount of /'],
      [{ PidMode: 'host' }, 'containers.host-pid', 'pid host'],
      [{ NetworkMode: 'host' }, 'containers.host-network', 'network host'],
      [{ IpcMode: 'host' }, 'containers.host-ipc', 'ipc host'],
    ];
    for (const [hostConfig, permission, because] of cases) {
      const decision = decide('operator', api('POST', '/containers/create', { body: { Image: 'x', HostConfig: hostConfig } }));
      assert.deepEqual(decision, {
        allowed: false, permission,
        message: `permission denied: containers.create with ${because} requires '${permission}' (token ci has role operator)`,
      });
    }
  });

  it('gives exec, attach, cp and build with host network their own permissions', () => {
    for (const [method, route, permission] of [
      ['POST', '/containers/:id/exec', 'containers.exec'], ['POST', '/exec/:id/start', 'containers.exec'],
      ['POST', '/containers/:id/attach', 'containers.attach'], ['GET', '/containers/:id/archive', 'containers.archive'],
      ['PUT', '/containers/:id/archive', 'containers.archive'],
    ] as const) {
      const decision = decide('operator', api(method, route, { params: { id: 'c1' } }));
      assert.equal(decision.allowed ? '' : decision.permission, permission, route);
    }
    assert.equal(decide('operator', api('POST', '/build')).allowed, true);
    const build = decide('operator', api('POST', '/build', { query: { networkmode: 'host' } }));
    assert.equal(build.allowed ? '' : build.message, "permission denied: builds.create with network host requires 'builds.host-network' (token ci has role operator)");
    assert.equal(decide('admin', api('POST', '/containers/create', { body: { HostConfig: { Privileged: true, PidMode: 'host' } } })).allowed, true);
  });

  it('keeps tokens and the audit trail to admins and unclassified routes closed', () => {
    assert.equal(decide('operator', api('POST', '/berth/v1/tokens')).allowed, false);
    assert.equal(decide('viewer', api('GET', '/berth/v1/audit')).allowed, false);
    const unknown = decide('operator', api('POST', '/berth/v1/something-new'));
    assert.equal(unknown.allowed ? '' : unknown.message, 'permission denied: POST /berth/v1/something-new requires every permission (admin) (token ci has role operator)');
    assert.equal(decide('admin', api('POST', '/berth/v1/something-new')).allowed, true);
    assert.equal(decide('nobody', api('GET', '/_ping')).allowed, true);
    const undefinedRole = decide('nobody', api('GET', '/info'));
    assert.match(undefinedRole.allowed ? '' : undefinedRole.message, /token ci has role nobody, which is not defined/);
  });

  it('applies a label selector to the object, and narrows a container listing to it', () => {
    assert.equal(decide('team-a', api('POST', '/containers/create', { body: { Labels: { team: 'a' } } })).allowed, true);
    assert.equal(decide('team-a', api('POST', '/containers/create', { body: { Labels: { team: 'b' } } })).allowed, false);
    assert.equal(decide('team-a', api('POST', '/containers/create', { body: {} })).allowed, false);
    assert.equal(decide('team-a', api('POST', '/containers/:id/exec', { params: { id: 'c' } }), { team: 'a' }).allowed, true);
    assert.equal(decide('team-a', api('POST', '/containers/:id/stop', { params: { id: 'c' } }), { team: 'a' }).allowed, false);
    assert.deepEqual(decide('team-a', api('GET', '/containers/json')), { allowed: true, onlyLabels: { team: 'a' } });
    assert.equal(decide('team-a', api('GET', '/volumes')).allowed, false);
    assert.deepEqual(describeApiRequest(api('POST', '/exec/:id/start', { params: { id: 'e1' } })).object, { kind: 'exec', id: 'e1' });
  });

  it('tells push from tag on the image wildcard routes', () => {
    const push = decide('viewer', api('POST', '/images/*', { params: { '*': 'library/busybox/push' } }));
    assert.equal(push.allowed ? '' : push.permission, 'images.push');
    const tag = decide('viewer', api('POST', '/images/*', { params: { '*': 'busybox/tag' } }));
    assert.equal(tag.allowed ? '' : tag.permission, 'images.create');
  });

  it('treats a volume bound to a host directory as a host mount', () => {
    const bound = decide('operator', api('POST', '/volumes/create', { body: { DriverOpts: { type: 'none', o: 'bind', device: '/srv' } } }));
    assert.equal(bound.allowed ? '' : bound.message, "permission denied: volumes.create with a volume bound to /srv requires 'containers.host-mounts' (token ci has role operator)");
    assert.equal(decide('operator', api('POST', '/volumes/create', { body: { DriverOpts: { type: 'tmpfs', device: 'tmpfs' } } })).allowed, true);
  });
});
