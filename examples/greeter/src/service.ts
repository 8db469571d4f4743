import { defineService } from '@kenos/server';
import { greeterService } from './adapters/grpc/greeter-service.js';
import { mountGreetingRoutes } from './adapters/rest/greetings-routes.js';
import { greeterConfigSchema } from './infrastructure/config-schema.js';
import { dailyReport } from './infrastructure/daily-report.js';
import { greetingWorker } from './infrastructure/greeting-jobs.js';
import { PACKAGE_ROOT } from './package-root.js';
import { createSayHello } from './use-cases/say-hello.js';

/** The greeter service: composition root wiring use cases to the Kenos transports. */
export const greeter = defineService({
  name: 'greeter',
  version: '0.0.0',
  config: greeterConfigSchema,
  // config/ and the development key (.kenos/local.key) live in the package directory, next to dist/
  configDir: PACKAGE_ROOT,
  rest: (router, { config }) =>
    mountGreetingRoutes(router, createSayHello(config.greeter)),
  grpc: ({ config }) => [greeterService(createSayHello(config.greeter))],
  workers: {
    greetings: ({ config }) =>
      greetingWorker(createSayHello(config.greeter), config.greeter.worker),
  },
  batches: {
    'daily-report': ({ config }, batch) =>
      dailyReport(
        { ...config.greeter.report, greeting: config.greeter.greeting },
        batch,
      ),
  },
});
