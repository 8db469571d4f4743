/** The spellings of a service name that a generated service uses. */
export interface ServiceNameForms {
  /** The name itself, for Kubernetes, npm, Docker and logs: `order-api`. */
  readonly kebab: string;
  /** For TypeScript identifiers and config keys: `orderApi`. */
  readonly camel: string;
  /** For types and the gRPC service: `OrderApi`. */
  readonly pascal: string;
  /** For environment variables: `ORDER_API`. */
  readonly constant: string;
  /** For the protobuf package and its path: `order_api`. */
  readonly snake: string;
}

/** Longest service name: a Kubernetes (DNS-1123) label. */
export const SERVICE_NAME_MAX_LENGTH = 63;

/**
 * Why `name` cannot name a service, or `undefined` when it can. A service name is a
 * Kubernetes label (RFC 1035: lowercase letters, digits and `-`, a letter first, no `-` last,
 * at most 63 characters), because it names the service's Deployments, Service and labels; it
 * starts with a letter so that it also makes TypeScript identifiers and a protobuf package.
 * `longestSuffix` is the longest suffix the template appends to the name in a Kubernetes name
 * with a lower limit, e.g. `-daily-report` of a CronJob (at most 52 characters).
 */
export function serviceNameProblem(
  name: string,
  longestSuffix: { suffix: string; limit: number; kind: string } = {
    suffix: '',
    limit: SERVICE_NAME_MAX_LENGTH,
    kind: 'label',
  },
): string | undefined {
  if (name.length === 0) return 'the service name is empty';
  if (name.length > SERVICE_NAME_MAX_LENGTH)
    return `'${name}' has ${name.length} characters; a service name has at most ${SERVICE_NAME_MAX_LENGTH} (a Kubernetes label)`;
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return `'${name}' is not a valid service name: use lowercase letters, digits and '-', starting with a letter and not ending with '-' (a Kubernetes DNS-1123 label)`;
  if (name.includes('--'))
    return `'${name}' has '--': separate the words of a service name with one '-'`;
  const derived = `${name}${longestSuffix.suffix}`;
  if (derived.length > longestSuffix.limit)
    return `'${name}' is too long: the ${longestSuffix.kind} '${derived}' has ${derived.length} characters, over the Kubernetes limit of ${longestSuffix.limit}; use at most ${longestSuffix.limit - longestSuffix.suffix.length} characters`;
  return undefined;
}

/** The spellings of a valid service name (see {@link serviceNameProblem}). */
export function serviceNameForms(name: string): ServiceNameForms {
  const words = name.split('-');
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  return {
    kebab: name,
    camel: (words[0] ?? '') + words.slice(1).map(cap).join(''),
    pascal: words.map(cap).join(''),
    constant: words.join('_').toUpperCase(),
    snake: words.join('_'),
  };
}
