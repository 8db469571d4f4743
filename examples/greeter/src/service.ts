import { bullmqQueue } from '@kenos/jobs';
import { defineService } from '@kenos/server';
import { greeterService } from './adapters/grpc/greeter-service.js';
import { mountGreetingJobRoutes } from './adapters/rest/greeting-jobs-routes.js';
import { mountGreetingRoutes } from './adapters/rest/greetings-routes.js';
import { mountRelayedGreetingRoutes } from './adapters/rest/relayed-greetings-routes.js';
import { toTransportError } from './adapters/transport-errors.js';
import {
  greeterConfigSchema,
  type GreeterConfig,
} from './infrastructure/config-schema.js';
import { dailyReport } from './infrastructure/daily-report.js';
import {
  GREETINGS_QUEUE,
  greetingWorker,
} from './infrastructure/greeting-jobs.js';
import { neighbourGreeter } from './infrastructure/neighbour-greeter.js';
import { createRelayGreeting } from './use-cases/relay-greeting.js';
import { createRequestGreeting } from './use-cases/request-greeting.js';
import { createSayHello, type SayHello } from './use-cases/say-hello.js';

let sayHello: SayHello | undefined;
/** The say-hello use case, built once per process and shared by every adapter. */
const useSayHello = (config: GreeterConfig): SayHello =>
  (sayHello ??= createSayHello(config));

/** The greeter service: the composition root, wiring the use cases to the Kenos transports. */
export const service = defineService({
  name: 'greeter',
  // the package root (config/, proto/, .kenos/) is found from here, in dist/ and in the bundle alike
  root: import.meta.url,
  config: greeterConfigSchema,
  // domain errors become 400 problem+json / INVALID_ARGUMENT in every REST route and gRPC method
  mapError: toTransportError,
  // the job queue on Redis at queue.url (REDIS_URL); none when it is empty (enqueue answers 503)
  queue: bullmqQueue(),
  rest: (router, context) => {
    mountGreetingRoutes(router, useSayHello(context.config.greeter));
    mountGreetingJobRoutes(
      router,
      createRequestGreeting(context.config.greeter, (job) =>
        context.enqueue(GREETINGS_QUEUE, job),
      ),
    );
    mountRelayedGreetingRoutes(
      router,
      createRelayGreeting(
        context.config.greeter,
        neighbourGreeter(context.config.greeter.neighbourUrl),
      ),
    );
  },
  grpc: ({ config }) => [greeterService(useSayHello(config.greeter))],
  workers: {
    greetings: ({ config, queue }) =>
      greetingWorker(useSayHello(config.greeter), config.greeter.worker, queue),
  },
  batches: {
    'daily-report': ({ config }, batch) =>
      dailyReport(
        { ...config.greeter.report, greeting: config.greeter.greeting },
        batch,
      ),
  },
});
