import { isBerthError } from '../base/errors.js';

/**
 * For a read about an object that may have gone meanwhile (an image removed by force while
 * containers still name it, a container removed between a listing and the read): a rejection
 * handler that answers undefined, quietly for not-found, after `warn` for any other failure.
 */
export function undefinedIfGone(warn: (err: unknown) => void): (err: unknown) => undefined {
  return (err) => {
    if (!isBerthError(err, 'not-found')) warn(err);
    return undefined;
  };
}
