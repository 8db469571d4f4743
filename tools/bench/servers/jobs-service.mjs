#!/usr/bin/env node
// The Kenos side of the jobs cases: a service on @kenos/server with the BullMQ job queue of
// @kenos/jobs (REDIS_URL), run as production runs a service: `node jobs-service.mjs <component>`.
//   api          POST /v1/jobs enqueues one `noop` job with `context.enqueue` and answers 202
//   worker:noop  a worker with a no-op handler on queue `noop`, BENCH_WORKER_CONCURRENCY jobs at a time
// It logs what every Kenos service logs (a "job started" and a "job completed" line per job).
import { defineConfigSchema } from '@kenos/config';
import { createBullmqJobQueue } from '@kenos/jobs';
import { defineService, runService } from '@kenos/server';

const config = defineConfigSchema({
  bench: {
    concurrency: {
      doc: 'worker:noop: jobs run at the same time',
      default: 10,
      format: 'nat',
      env: 'BENCH_WORKER_CONCURRENCY',
    },
  },
});

await runService(
  defineService({
    name: 'bench-jobs',
    root: import.meta.url,
    config,
    queue: ({ config }) => createBullmqJobQueue({ url: config.queue.url }),
    rest: (router, context) => {
      router.post('/v1/jobs', async (_req, res) => {
        const { id } = await context.enqueue('noop', { at: Date.now() });
        res.status(202).json({ id });
      });
    },
    workers: {
      noop: (context) => ({
        source: context.queue.source('noop'),
        handle: async () => {
          // a no-op job: the drain measures the queue and the worker, not the handler
        },
        concurrency: context.config.bench.concurrency,
      }),
    },
  }),
);
