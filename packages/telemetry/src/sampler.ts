import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import type { TelemetryLogger } from './diagnostics.js';

/** Environment variables as a plain record (`process.env` fits). */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

function ratio(arg: string | undefined, logger: TelemetryLogger): number {
  if (arg === undefined || arg.trim() === '') return 1;
  const n = Number(arg);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    logger.warn({ code: 'KENOS_ERR_TELEMETRY_OPTIONS', OTEL_TRACES_SAMPLER_ARG: arg }, 'OTEL_TRACES_SAMPLER_ARG must be a number in [0, 1]; using 1');
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
export function samplerFromEnv(env: EnvRecord, logger: TelemetryLogger): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  const arg = env.OTEL_TRACES_SAMPLER_ARG;
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio(arg, logger));
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(arg, logger)) });
    case '':
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      logger.warn({ code: 'KENOS_ERR_TELEMETRY_OPTIONS', OTEL_TRACES_SAMPLER: name }, 'unknown OTEL_TRACES_SAMPLER; using parentbased_always_on');
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
