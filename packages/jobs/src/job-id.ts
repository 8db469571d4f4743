/**
 * BullMQ job ids must not contain `:` (a Redis key separator) nor be integers (its own ids are).
 * Callers' ids are any strings: they are stored escaped (`%` → `%25`, `:` → `%3A`, an integer
 * `123` → `%N123`) and unescaped when read, so the caller always sees its own id.
 */
export function toBullmqJobId(id: string): string {
  const escaped = id.replace(/%/g, '%25').replace(/:/g, '%3A');
  return `${parseInt(escaped, 10)}` === escaped ? `%N${escaped}` : escaped;
}

/** The caller's id of a stored BullMQ job id (the inverse of {@link toBullmqJobId}). */
export function fromBullmqJobId(stored: string): string {
  const body = stored.startsWith('%N') ? stored.slice(2) : stored;
  return body.replace(/%3A/g, ':').replace(/%25/g, '%');
}
