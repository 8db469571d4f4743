/** One problem with one field of a greeting request. */
export interface GreetingViolation {
  field: 'name' | 'delay_ms';
  description: string;
}

/** A greeting request broke a domain rule. */
export class InvalidGreetingError extends Error {
  readonly code = 'GREETER_INVALID_REQUEST';
  readonly violations: GreetingViolation[];
  constructor(violations: GreetingViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.description}`).join('; '));
    this.name = 'InvalidGreetingError';
    this.violations = violations;
  }
}

/** The longest delay a caller may ask for, in milliseconds. */
export const MAX_DELAY_MS = 10_000;

/** The rules of a name: 1 to `maxLength` characters after trimming. */
export function checkName(
  name: string,
  maxLength: number,
): GreetingViolation[] {
  if (name.trim().length === 0)
    return [{ field: 'name', description: 'must not be empty' }];
  if ([...name.trim()].length > maxLength)
    return [
      { field: 'name', description: `must be at most ${maxLength} characters` },
    ];
  return [];
}

/** The rules of a delay: an integer from 0 to {@link MAX_DELAY_MS}. */
export function checkDelay(delayMs: number): GreetingViolation[] {
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    return [
      {
        field: 'delay_ms',
        description: `must be an integer from 0 to ${MAX_DELAY_MS}`,
      },
    ];
  }
  return [];
}

/** The greeting text: `<greeting>, <name>!`. */
export function composeGreeting(greeting: string, name: string): string {
  return `${greeting}, ${name.trim()}!`;
}
