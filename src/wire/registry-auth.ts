/**
 * Registry credentials as they travel from a client to berthd: Docker's `X-Registry-Auth` header
 * on pull and push (base64url JSON `{"username","password","serveraddress"}`). Where a client
 * keeps them (config.json, credential helpers) is `client/docker-credentials.ts`.
 */
import { z } from 'zod';
import { errors } from '../base/errors.js';

/** A user name and password (or token) for one registry. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** Docker's `X-Registry-Auth` header: base64url of `{"username","password","serveraddress"}`. */
export function encodeRegistryAuthHeader(credentials: RegistryCredentials, serverAddress: string): string {
  return Buffer.from(JSON.stringify({ username: credentials.username, password: credentials.password, serveraddress: serverAddress }), 'utf8').toString('base64url');
}

const registryAuthSchema = z.object({ username: z.string().optional(), password: z.string().optional(), serveraddress: z.string().optional() }).loose();

/** Parses `X-Registry-Auth` (base64url or base64 JSON); empty or `{}` means anonymous. */
export function decodeRegistryAuthHeader(header: string | undefined): RegistryCredentials | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header.trim(), 'base64url').toString('utf8'));
  } catch (cause) {
    throw errors.invalidArgument('invalid-registry-auth', 'X-Registry-Auth: not base64url-encoded JSON', { cause });
  }
  const parsed = registryAuthSchema.safeParse(json);
  if (!parsed.success) throw errors.invalidArgument('invalid-registry-auth', 'X-Registry-Auth: expected an object with username and password');
  const { username, password } = parsed.data;
  if (username === undefined || username === '') return undefined;
  return { username, password: password ?? '' };
}
