/**
 * One endpoint request (EndpointsConfig.<net> at create, EndpointConfig at connect) checked against
 * its network and turned into what the container's config keeps: aliases, static addresses
 * (canonical), link-local addresses, the MAC, links and driver options, and whether IPAMConfig
 * was given (inspect shows it as given). Pure; throws invalid-argument naming the field.
 */
import { errors, type BerthError } from '../base/errors.js';
import type { ContainerNetwork, EndpointRequest } from './container-network.js';
import type { NetworkRecord } from './network-store.js';
import { checkLinkLocalIps, checkMacAddress, checkStaticAddress, checkStaticAddress6 } from './static-address.js';

export type EndpointEntry = ContainerNetwork['networks'][number];

/** A link `name[:alias]` (or the `/name:/this/alias` form Docker stores) → [container, alias]; as Docker's ParseLink. */
export function parseLink(link: string): [string, string] {
  if (link === '') throw errors.invalidArgument('invalid-link', 'empty string specified for links');
  const parts = link.split(':');
  if (parts.length > 2) throw errors.invalidArgument('invalid-link', `bad format for links: ${link}`);
  const [name = '', alias] = parts;
  if (alias === undefined) return [name, name];
  if (name.startsWith('/')) return [name.slice(1), alias.slice(alias.lastIndexOf('/') + 1)];
  return [name, alias];
}

const set = (text: string | undefined): text is string => text !== undefined && text !== '';

/** Addresses on an overlay come from the cluster (unique cluster-wide): a dynamic one could collide with another node's. */
export function overlayAddressRequired(network: NetworkRecord, field: string): BerthError {
  return errors.invalidArgument('overlay-address-required', `${field}: network ${network.name} is an overlay network: a container on it needs the IPv4 address the cluster gave it (--ip)`);
}

/** The config entry for `network`; `field` names the request's endpoint in errors. */
export function endpointEntry(network: NetworkRecord, endpoint: EndpointRequest, field: string): EndpointEntry {
  const entry: EndpointEntry = { id: network.id, aliases: [...(endpoint.aliases ?? [])] };
  if (set(endpoint.ipv4Address)) entry.ipv4Address = checkStaticAddress(network, endpoint.ipv4Address, `${field}.IPAMConfig.IPv4Address`);
  else if (network.driver === 'overlay') throw overlayAddressRequired(network, `${field}.IPAMConfig.IPv4Address`);
  if (set(endpoint.ipv6Address)) entry.ipv6Address = checkStaticAddress6(network, endpoint.ipv6Address, `${field}.IPAMConfig.IPv6Address`);
  if ((endpoint.linkLocalIPs ?? []).length > 0) entry.linkLocalIPs = checkLinkLocalIps(endpoint.linkLocalIPs ?? []);
  if (endpoint.ipamConfig === true) entry.ipamConfig = true;
  if (set(endpoint.macAddress)) entry.macAddress = checkMacAddress(endpoint.macAddress, `${field}.MacAddress`);
  if (endpoint.links !== undefined) {
    for (const link of endpoint.links) parseLink(link);
    entry.links = [...endpoint.links];
  }
  if (endpoint.driverOpts !== undefined) entry.driverOpts = { ...endpoint.driverOpts };
  return entry;
}

/** The static settings of an entry as the attachment asks for them (the MAC: the endpoint's, else `configMac`). */
export function fixedOf(entry: EndpointEntry, configMac?: string): { ipv4Address?: string; ipv6Address?: string; macAddress?: string } | undefined {
  const mac = entry.macAddress ?? configMac;
  const fixed = {
    ...(entry.ipv4Address === undefined ? {} : { ipv4Address: entry.ipv4Address }),
    ...(entry.ipv6Address === undefined ? {} : { ipv6Address: entry.ipv6Address }),
    ...(mac === undefined ? {} : { macAddress: mac }),
  };
  return Object.keys(fixed).length === 0 ? undefined : fixed;
}
