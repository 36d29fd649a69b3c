/**
 * berth's embedded DNS: one UDP socket on port 53 of each network's gateway address, answering
 * from the endpoints table and the overlays' names (`answerQuery`) and relaying other queries to the host's resolvers.
 * A listener that cannot bind (address in use) is skipped, with a warning: name lookups then fail, nothing else.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { answerQuery, type OverlayNames } from './dns-answer.js';
import type { NetworkStore } from './network-store.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('network');

const FORWARD_TIMEOUT_MS = 3000;

export class DnsServer {
  readonly #sockets = new Map<string, Socket>();
  #upstreams: string[] = [];

  /** `overlayNames`: the names overlay networks answer besides their endpoints (by network id). */
  constructor(private readonly store: NetworkStore, private readonly overlayNames: () => OverlayNames = () => new Map()) {}

  /** The nameservers of a resolv.conf text (loopback ones are useless from a container's view, but fine here: berthd forwards). */
  setUpstreams(resolvConf: string): void {
    this.#upstreams = resolvConf.split('\n').map((l) => /^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
  }

  async listen(address: string): Promise<void> {
    if (this.#sockets.has(address)) return;
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    socket.on('message', (message, remote) => { this.#onMessage(socket, message, remote.address, remote.port); });
    const bound = await new Promise<boolean>((resolve) => {
      socket.once('error', (err) => {
        log.warn('binding the DNS server failed; names on this network do not resolve', { err, address });
        resolve(false);
      });
      socket.bind(53, address, () => { resolve(true); });
    });
    if (!bound) {
      socket.close();
      return;
    }
    // A send to a client that went away fails on its own; the socket keeps serving the others.
    socket.on('error', (err) => { log.debug('the DNS socket reported an error', { err, address }); });
    this.#sockets.set(address, socket);
  }

  unlisten(address: string): void {
    this.#sockets.get(address)?.close();
    this.#sockets.delete(address);
  }

  close(): void {
    for (const address of [...this.#sockets.keys()]) this.unlisten(address);
  }

  #onMessage(socket: Socket, message: Buffer, address: string, port: number): void {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not a DNS message: nothing to answer
    }
    const answer = answerQuery(query, this.store.allEndpoints(), address, this.overlayNames());
    if (answer !== 'forward') {
      socket.send(dnsPacket.encode(answer), port, address);
      return;
    }
    const upstream = this.#upstreams[0];
    if (upstream === undefined) return;
    const relay = createSocket('udp4');
    const timer = setTimeout(() => relay.close(), FORWARD_TIMEOUT_MS);
    relay.on('error', (err) => {
      // The client's resolver times out and retries, as after any lost UDP answer.
      log.debug('relaying a DNS query failed', { err, upstream });
      clearTimeout(timer);
      relay.close();
    });
    relay.once('message', (reply) => {
      clearTimeout(timer);
      relay.close();
      socket.send(reply, port, address);
    });
    relay.send(message, 53, upstream);
  }
}
