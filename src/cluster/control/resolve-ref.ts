import { errors } from '../../base/errors.js';

/** An object by id, unique id prefix or name; not-found naming the reference, invalid-argument for an ambiguous prefix. */
export function resolve<T extends { id: string }>(what: string, ref: string, items: readonly T[], nameOf: (item: T) => string): T {
  const exact = items.find((item) => item.id === ref) ?? items.find((item) => nameOf(item) === ref);
  if (exact !== undefined) return exact;
  const prefixed = ref === '' ? [] : items.filter((item) => item.id.startsWith(ref));
  if (prefixed.length === 1 && prefixed[0] !== undefined) return prefixed[0];
  if (prefixed.length > 1) throw errors.invalidArgument(`ambiguous-${what}`, `${what} ${ref} is ambiguous (${prefixed.length} matches)`);
  throw errors.notFound(`${what}-not-found`, `${what} ${ref} not found`);
}
