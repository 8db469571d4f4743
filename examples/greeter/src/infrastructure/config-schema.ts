import { defineConfigSchema, type ConfigValues } from '@kenos/config';

/** The greeter's own config keys (the standard settings are merged in by @kenos/server). */
export const greeterConfigSchema = defineConfigSchema({
  greeter: {
    greeting: {
      doc: 'Word the greeting starts with',
      default: 'Hello',
      format: String,
      env: 'GREETER_GREETING',
    },
    maxNameLength: {
      doc: 'Longest accepted name, in characters',
      default: 64,
      format: (value: unknown): asserts value is number => {
        if (!Number.isInteger(value) || (value as number) < 1)
          throw new Error('must be a positive integer');
      },
      env: 'GREETER_MAX_NAME_LENGTH',
    },
    apiToken: {
      doc: 'Token for the (imaginary) downstream API; in development from config/development.secrets.yaml',
      default: '',
      format: String,
      env: 'GREETER_API_TOKEN',
      sensitive: true,
    },
    neighbourUrl: {
      doc: 'Base URL of another greeter (http://host:port) that GET /v1/relayed-greetings/:name asks; empty: that route answers 503',
      default: '',
      format: (value: unknown): asserts value is string => {
        if (
          typeof value !== 'string' ||
          (value !== '' && !/^https?:\/\/[^/]+\/?$/.test(value))
        )
          throw new Error(
            'must be empty or an http(s) URL of a host and port, e.g. http://greeter:8080',
          );
      },
      env: 'GREETER_NEIGHBOUR_URL',
    },
    worker: {
      concurrency: {
        doc: 'worker:greetings: how many jobs it runs at once',
        default: 2,
        format: (value: unknown): asserts value is number => {
          if (!Number.isInteger(value) || (value as number) < 1)
            throw new Error('must be a positive integer');
        },
        env: 'GREETER_WORKER_CONCURRENCY',
      },
      intervalMs: {
        doc: 'worker:greetings without a queue (no REDIS_URL): a demo job is fed this often',
        default: 1000,
        format: 'nat',
        env: 'GREETER_WORKER_INTERVAL_MS',
      },
      jobDurationMs: {
        doc: 'worker:greetings: how long each job works',
        default: 200,
        format: 'nat',
        env: 'GREETER_WORKER_JOB_DURATION_MS',
      },
    },
    report: {
      fail: {
        doc: 'batch:daily-report: fail on purpose (to demonstrate exit code 1)',
        default: false,
        format: Boolean,
        env: 'GREETER_REPORT_FAIL',
      },
      durationMs: {
        doc: 'batch:daily-report: how long the report takes',
        default: 0,
        format: 'nat',
        env: 'GREETER_REPORT_DURATION_MS',
      },
    },
  },
});

/** The greeter's own settings, typed: `config.greeter` of the service context. */
export type GreeterConfig = ConfigValues<typeof greeterConfigSchema>['greeter'];
