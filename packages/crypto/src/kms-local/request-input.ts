import { KmsException } from './kms-exception.js';

/** The parsed JSON body of a request. */
export type RequestInput = Record<string, unknown>;

function validation(message: string): KmsException {
  return new KmsException('ValidationException', message);
}

/** A required string member; ValidationException when missing or not a non-empty string. */
export function requiredString(input: RequestInput, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw validation(
      `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** An optional string member. */
export function optionalString(
  input: RequestInput,
  name: string,
): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw validation(`'${lowerFirst(name)}' must be a string`);
  return value;
}

/** An optional integer member within [min, max]. */
export function optionalInt(
  input: RequestInput,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < min ||
    value > max
  ) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value between ${min} and ${max} inclusive`,
    );
  }
  return value;
}

/** An optional boolean member. */
export function optionalBoolean(
  input: RequestInput,
  name: string,
): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean')
    throw validation(`'${lowerFirst(name)}' must be a boolean`);
  return value;
}

/** A required base64 blob of at most `maxBytes` bytes. */
export function requiredBlob(
  input: RequestInput,
  name: string,
  maxBytes: number,
): Buffer {
  const value = requiredString(input, name);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value))
    throw validation(`'${lowerFirst(name)}' is not valid base64`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 1 || bytes.length > maxBytes) {
    throw validation(
      `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length between 1 and ${maxBytes}`,
    );
  }
  return bytes;
}

/** An optional encryption context: a map of strings to strings (missing = empty). */
export function encryptionContext(
  input: RequestInput,
  name: string,
): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw validation(`'${lowerFirst(name)}' must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw validation(`'${lowerFirst(name)}' must be a map of strings`);
    out[k] = v;
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
