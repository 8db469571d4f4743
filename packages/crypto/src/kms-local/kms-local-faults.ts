import {
  isKmsErrorName,
  KmsException,
  type KmsErrorName,
} from './kms-exception.js';
import { KmsLocalError } from './kms-local-error.js';

/**
 * Fault injection of a kms-local server, for reliability tests. Each request
 * first waits `latencyMs`, then may be throttled, then may fail with
 * `errorName`; faulted requests are counted in `stats()` like any other.
 */
export interface KmsLocalFaults {
  /** Fraction of requests (0–1) answered with `ThrottlingException` (HTTP 400). Default `0`. */
  throttleRate?: number;
  /** Milliseconds added before every answer (a large value makes a hanging KMS). Default `0`. */
  latencyMs?: number;
  /**
   * Fraction of requests (0–1) per operation name (`Decrypt`, `GenerateDataKey`, …,
   * or `*` for every operation) answered with `errorName`. Default none.
   */
  errorRate?: Record<string, number>;
  /** The error that `errorRate` injects, e.g. `AccessDeniedException`. Default `KMSInternalException` (HTTP 500). */
  errorName?: KmsErrorName;
}

/** Throws KENOS_ERR_KMS_LOCAL_OPTIONS when a fault setting is out of range. */
export function validateFaults(faults: KmsLocalFaults): KmsLocalFaults {
  const rate = (name: string, value: number | undefined): void => {
    if (
      value !== undefined &&
      !(Number.isFinite(value) && value >= 0 && value <= 1)
    ) {
      throw new KmsLocalError(
        'KENOS_ERR_KMS_LOCAL_OPTIONS',
        `kms-local fault ${name} must be a number from 0 to 1, got ${String(value)}`,
      );
    }
  };
  rate('throttleRate', faults.throttleRate);
  for (const [op, value] of Object.entries(faults.errorRate ?? {}))
    rate(`errorRate.${op}`, value);
  if (
    faults.latencyMs !== undefined &&
    !(Number.isFinite(faults.latencyMs) && faults.latencyMs >= 0)
  ) {
    throw new KmsLocalError(
      'KENOS_ERR_KMS_LOCAL_OPTIONS',
      `kms-local fault latencyMs must be a non-negative number, got ${String(faults.latencyMs)}`,
    );
  }
  if (faults.errorName !== undefined && !isKmsErrorName(faults.errorName)) {
    throw new KmsLocalError(
      'KENOS_ERR_KMS_LOCAL_OPTIONS',
      `kms-local fault errorName ${String(faults.errorName)} is not a KMS error name kms-local knows`,
    );
  }
  return {
    ...faults,
    ...(faults.errorRate ? { errorRate: { ...faults.errorRate } } : {}),
  };
}

/** The fault to answer `operation` with, if any (latency is applied by the caller). */
export function injectedFault(
  faults: KmsLocalFaults,
  operation: string,
  random: () => number = Math.random,
): KmsException | undefined {
  const throttle = faults.throttleRate ?? 0;
  if (throttle > 0 && random() < throttle) {
    return new KmsException('ThrottlingException', 'Rate exceeded');
  }
  const errorRate =
    faults.errorRate?.[operation] ?? faults.errorRate?.['*'] ?? 0;
  if (errorRate > 0 && random() < errorRate) {
    const name = faults.errorName ?? 'KMSInternalException';
    return new KmsException(
      name,
      `kms-local injected ${name} into ${operation}`,
    );
  }
  return undefined;
}
