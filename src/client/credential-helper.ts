/**
 * Docker's credential helpers (`credsStore` / `credHelpers` in config.json): the program
 * `docker-credential-<name>` with a verb argument (`get`, `store`, `erase`) and its input on stdin
 * — the server address, or `{"ServerURL","Username","Secret"}` — answering JSON on stdout.
 */
import { z } from 'zod';
import { errors, isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { RegistryCredentials } from '../wire/registry-auth.js';

const helperAnswerSchema = z.object({ Username: z.string(), Secret: z.string() }).loose();

/** What Docker's helpers put in Username for an identity token (not a user name; unsupported here). */
const IDENTITY_TOKEN_USER = '<token>';

export class CredentialHelper {
  readonly program: string;

  constructor(name: string, private readonly runner: ProcessRunner, private readonly env: NodeJS.ProcessEnv = process.env) {
    this.program = `docker-credential-${name}`;
  }

  /** A missing program is failed-precondition naming it; any other failure passes on. */
  private async call(verb: 'get' | 'store' | 'erase', input: string): Promise<string> {
    try {
      return (await this.runner.run(this.program, [verb], { input, env: this.env })).stdout;
    } catch (err) {
      if (isBerthError(err, 'not-found')) {
        throw errors.failedPrecondition('credential-helper-missing', `config.json names the credential helper ${this.program}, which is not installed`, { cause: err });
      }
      throw err;
    }
  }

  /** The helper's credentials for `server`; undefined when it has none (it fails, as helpers do then). */
  async get(server: string): Promise<RegistryCredentials | undefined> {
    let text: string;
    try {
      text = await this.call('get', server);
    } catch (err) {
      if (isBerthError(err, 'failed-precondition')) throw err;
      return undefined; // a helper that holds nothing for the server exits non-zero ("credentials not found"): anonymous, as docker
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw errors.invalidArgument('credential-helper-answer', `${this.program} get: the answer is not JSON`, { cause });
    }
    const parsed = helperAnswerSchema.safeParse(json);
    if (!parsed.success) throw errors.invalidArgument('credential-helper-answer', `${this.program} get: expected Username and Secret`);
    if (parsed.data.Username === IDENTITY_TOKEN_USER || parsed.data.Username === '') return undefined;
    return { username: parsed.data.Username, password: parsed.data.Secret };
  }

  async store(server: string, credentials: RegistryCredentials): Promise<void> {
    await this.call('store', JSON.stringify({ ServerURL: server, Username: credentials.username, Secret: credentials.password }));
  }

  async erase(server: string): Promise<void> {
    await this.call('erase', server);
  }
}
