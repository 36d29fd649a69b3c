// The map of src/ as rules (docs/architecture.md draws it): each folder sits on a floor and
// imports only from folders on lower floors; folders on one floor do not import each other;
// no cycles at all, type-only imports included. `npm run lint` checks it.
const FLOORS = [
  ['base'],
  ['oci', 'stdio', 'mount', 'wire', 'pki'],
  ['store'],
  ['events', 'snapshots'],
  ['images'],
  ['runtime', 'network', 'volumes'],
  ['engine'],
  ['build', 'registry', 'security', 'cluster', 'metrics', 'alerts'],
  ['api', 'lab'],
  ['daemon'],
];

// The clients of berthd reach it only through client/, which itself stands on the lowest floors.
const CLIENT_SIDE = {
  client: ['base', 'oci', 'stdio', 'wire'],
  cli: ['client', 'compose', 'base', 'oci', 'stdio', 'wire', 'pki'],
  compose: ['client', 'base', 'oci', 'stdio', 'wire'],
  dashboard: ['client', 'base'],
};

// The composition root of the berth process (daemon/berth-main.ts) hands the CLI its in-process
// parts (cli/berth-ports.ts), so daemon/ alone may import cli/ (and dashboard/, which berthd
// serves); the cluster's agent drives its node through client/, as any client of berthd does,
// and the lab forms its cluster through it.
const COMPOSES_CLIENTS = { daemon: ['cli', 'dashboard'], cluster: ['client'], lab: ['client'] };

const folder = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

const floorRules = FLOORS.flatMap((floor, level) => floor.map((name) => {
  const notBelow = FLOORS.slice(level).flat().filter((other) => other !== name);
  return {
    name: `${name}-imports-downward`,
    comment: `${name}/ may import only folders on lower floors than its own (${FLOORS.slice(0, level).flat().join(', ') || 'none'})`,
    severity: 'error',
    from: { path: folder(name) },
    to: { path: anyOf([...notBelow, ...Object.keys(CLIENT_SIDE).filter((client) => !(COMPOSES_CLIENTS[name] ?? []).includes(client))]) },
  };
}));

const clientRules = Object.entries(CLIENT_SIDE).map(([name, allowed]) => ({
  name: `${name}-through-client`,
  comment: `${name}/ may import only ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: folder(name) },
  to: { path: '^src/', pathNot: anyOf([name, ...allowed]) },
}));

// The cluster keeps the engine unaware of it: its scheduler and controllers are pure logic over
// cluster objects and its store, and its agent drives a node through client/ (DESIGN §5).
const clusterRule = {
  name: 'cluster-drives-nodes-through-client',
  comment: 'cluster/ may import only base, oci, stdio, wire, pki and client',
  severity: 'error',
  from: { path: folder('cluster') },
  to: { path: '^src/', pathNot: anyOf(['cluster', 'base', 'oci', 'stdio', 'wire', 'pki', 'client']) },
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'a cycle of imports, type-only ones included',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'known-folders',
      comment: 'every folder of src/ has its place on the map (add a new one to FLOORS or CLIENT_SIDE)',
      severity: 'error',
      from: { path: '^src/', pathNot: anyOf([...FLOORS.flat(), ...Object.keys(CLIENT_SIDE)]) },
      to: {},
    },
    ...floorRules,
    ...clientRules,
    clusterRule,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.test\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
