/** `berth token …`, `berth audit …` (through berthd) and `berth certs …` (files on this machine) as command specs. */
import { argOf, flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { AuditListFlags, CertsFlags, TokenCreateFlags } from './access-actions.js';

const actions = () => import('./access-actions.js');

export const TOKEN_COMMAND: CommandSpec = {
  name: 'token',
  description: 'Manage bearer tokens of the API (through berthd)',
  commands: [
    {
      name: 'create', description: 'Create a token and print it (shown only this once)',
      options: [
        { flags: '--name <name>', description: 'the token\'s name: the identity its requests carry' },
        { flags: '--role <role>', description: 'viewer, operator, admin or a custom role', default: 'viewer' },
        { flags: '--expires <duration>', description: 'expire after this long (e.g. 24h, 90m); default: never' },
      ],
      run: async ({ globals, options }) => { await (await actions()).createTokenAction(globals, flagsOf<TokenCreateFlags>(options)); },
    },
    {
      name: 'ls', aliases: ['list'], description: 'List tokens (never their secrets)',
      options: [{ flags: '--format <format>', description: 'table or json', default: 'table' }],
      run: async ({ globals, options }) => { await (await actions()).listTokensAction(globals, typeof options.format === 'string' ? options.format : undefined); },
    },
    {
      name: 'rm', aliases: ['remove', 'revoke'], description: 'Revoke a token', args: '<name>',
      run: async ({ globals, args }) => { await (await actions()).removeTokenAction(globals, argOf(args, 'name')); },
    },
  ],
};

const DIR_OPTION = { flags: '--dir <dir>', description: 'where the files are (default: the current directory)', default: '.' };

export const CERTS_COMMAND: CommandSpec = {
  name: 'certs',
  description: 'Create a CA and certificates for berthd --tls-addr and its clients (docker --tlsverify)',
  commands: [
    {
      name: 'ca', description: 'Create ca.pem and ca-key.pem',
      options: [DIR_OPTION, { flags: '--cn <name>', description: 'the CA\'s common name', default: 'berth-ca' }, { flags: '--days <n>', description: 'validity', default: '3650' }],
      run: async ({ options }) => { await (await actions()).certsAction('ca', flagsOf<CertsFlags>(options)); },
    },
    {
      name: 'server', description: 'Create server-cert.pem and server-key.pem, signed by the CA in --dir',
      options: [
        DIR_OPTION,
        { flags: '--cn <name>', description: 'common name', default: 'berthd' },
        { flags: '--host <name>', description: 'a DNS name or IP address clients reach berthd by; repeatable (default: localhost, 127.0.0.1)', repeat: true },
        { flags: '--days <n>', description: 'validity', default: '365' },
      ],
      run: async ({ options }) => { await (await actions()).certsAction('server', flagsOf<CertsFlags>(options)); },
    },
    {
      name: 'client', description: 'Create cert.pem and key.pem for a user (as docker --tlsverify reads them), signed by the CA in --dir',
      options: [
        DIR_OPTION,
        { flags: '--name <name>', description: 'the user: the certificate\'s CN, the identity of its requests' },
        { flags: '--role <role>', description: 'the role berthd gives the holder (the certificate\'s O)', default: 'viewer' },
        { flags: '--out <dir>', description: 'where to write cert.pem and key.pem (default: --dir)' },
        { flags: '--days <n>', description: 'validity', default: '365' },
      ],
      run: async ({ options }) => { await (await actions()).certsAction('client', flagsOf<CertsFlags>(options)); },
    },
  ],
};

export const AUDIT_COMMAND: CommandSpec = {
  name: 'audit',
  description: 'Read and check berthd\'s audit trail (through berthd)',
  commands: [
    {
      name: 'ls', aliases: ['list'], description: 'List recorded requests with their outcomes',
      options: [
        { flags: '--since <time>', description: 'only since this time (RFC 3339, Unix seconds, or a duration before now such as 1h)' },
        { flags: '--user <name>', description: 'only requests of this identity (uid 1000, CN=alice, a token name; a substring matches)' },
        { flags: '--object <id>', description: 'only requests on this object (a container, image, volume…; an id prefix matches)' },
        { flags: '--format <format>', description: 'table or json', default: 'table' },
      ],
      run: async ({ globals, options }) => { await (await actions()).listAuditAction(globals, flagsOf<AuditListFlags>(options)); },
    },
    {
      name: 'verify', description: 'Check the hash chain; name the first record altered, removed or reordered (exit 9)',
      run: async ({ globals }) => { await (await actions()).verifyAuditAction(globals); },
    },
  ],
};
