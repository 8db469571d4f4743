import {
  SamplingDecision,
  TraceFlags,
  isSpanContextValid,
  isValidTraceId,
  trace,
  type Context,
} from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import type { TelemetryLogger } from './diagnostics.js';

/** Environment variables as a plain record (`process.env` fits). */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

// The six samplers of the OpenTelemetry spec, written against the `Sampler` interface of
// @opentelemetry/sdk-trace (which fits them into its TracerProvider when spans are exported)
// so that a service that exports nothing never loads the SDK: its import is a tenth of a
// service's start time. Same decisions as the SDK's classes, including the trace id ratio hash.

const ON: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const OFF: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

const alwaysOn: Sampler = {
  shouldSample: () => ON,
  toString: () => 'AlwaysOnSampler',
};
const alwaysOff: Sampler = {
  shouldSample: () => OFF,
  toString: () => 'AlwaysOffSampler',
};

/** Samples `ratio` of the traces, decided by the trace id alone (as the SDK's TraceIdRatioBasedSampler). */
function traceIdRatio(ratio: number): Sampler {
  const upperBound = Math.floor(ratio * 0xffffffff);
  const accumulate = (traceId: string): number => {
    let acc = 0;
    for (let i = 0; i < traceId.length / 8; i++)
      acc = (acc ^ parseInt(traceId.slice(i * 8, i * 8 + 8), 16)) >>> 0;
    return acc;
  };
  return {
    shouldSample: (_ctx, traceId) =>
      isValidTraceId(traceId) && accumulate(traceId) < upperBound ? ON : OFF,
    toString: () => `TraceIdRatioBased{${ratio}}`,
  };
}

/** Follows a sampled or not-sampled parent; `root` decides for spans without one. */
function parentBased(root: Sampler): Sampler {
  return {
    shouldSample(ctx: Context, traceId, name, kind, attributes, links) {
      const parent = trace.getSpanContext(ctx);
      if (parent === undefined || !isSpanContextValid(parent))
        return root.shouldSample(ctx, traceId, name, kind, attributes, links);
      return (parent.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED
        ? ON
        : OFF;
    },
    toString: () => `ParentBased{root=${root.toString()}}`,
  };
}

function ratio(arg: string | undefined, logger: TelemetryLogger): number {
  if (arg === undefined || arg.trim() === '') return 1;
  const n = Number(arg);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    logger.warn(
      { code: 'KENOS_ERR_TELEMETRY_OPTIONS', OTEL_TRACES_SAMPLER_ARG: arg },
      'OTEL_TRACES_SAMPLER_ARG must be a number in [0, 1]; using 1',
    );
    return 1;
  }
  return n;
}

/**
 * The sampler the OpenTelemetry spec derives from `OTEL_TRACES_SAMPLER` and
 * `OTEL_TRACES_SAMPLER_ARG`: `always_on`, `always_off`, `traceidratio`,
 * `parentbased_always_on` (the default), `parentbased_always_off`,
 * `parentbased_traceidratio`. An unknown value logs a warning and uses the default.
 */
export function samplerFromEnv(
  env: EnvRecord,
  logger: TelemetryLogger,
): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  switch (name) {
    case 'always_on':
      return alwaysOn;
    case 'always_off':
      return alwaysOff;
    case 'traceidratio':
      return traceIdRatio(ratio(arg, logger));
    case 'parentbased_always_off':
      return parentBased(alwaysOff);
    case 'parentbased_traceidratio':
      return parentBased(traceIdRatio(ratio(arg, logger)));
    case '':
    case 'parentbased_always_on':
      return parentBased(alwaysOn);
    default:
      logger.warn(
        { code: 'KENOS_ERR_TELEMETRY_OPTIONS', OTEL_TRACES_SAMPLER: name },
        'unknown OTEL_TRACES_SAMPLER; using parentbased_always_on',
      );
      return parentBased(alwaysOn);
  }
}
