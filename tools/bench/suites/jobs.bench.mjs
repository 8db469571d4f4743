// Jobs on a real queue (Debian's redis-server): no-op jobs drained by a Kenos worker
// (@kenos/server's worker transport on the BullMQ adapter of @kenos/jobs: a consumer span, the
// call scope and two log lines per job) against a bare BullMQ Worker of the same concurrency;
// and the Redis commands an enqueue from a REST handler sends, against a bare BullMQ Queue.add.
import {
  bareAddSide,
  bareWorkerSide,
  CONCURRENCY,
  kenosRestEnqueueSide,
  kenosWorkerSide,
} from '../src/jobs-cases.mjs';

export default {
  name: 'jobs',
  cases: [
    {
      name: `no-op jobs drained, concurrency ${CONCURRENCY}`,
      unit: 'jobs/s',
      target: { min: 0.8 },
      anchor: bareWorkerSide('bare BullMQ Worker'),
      subject: kenosWorkerSide(),
      context: [
        bareWorkerSide('bare BullMQ Worker + two raw pino lines per job', {
          logLines: true,
        }),
      ],
    },
    {
      name: `no-op jobs per CPU second of the worker process, concurrency ${CONCURRENCY}`,
      unit: 'jobs/CPU s',
      anchor: bareWorkerSide('bare BullMQ Worker', { clock: 'cpu' }),
      subject: kenosWorkerSide(undefined, { clock: 'cpu' }),
      context: [
        bareWorkerSide('bare BullMQ Worker + two raw pino lines per job', {
          logLines: true,
          clock: 'cpu',
        }),
      ],
    },
    {
      name: 'Redis commands per enqueue from a REST handler (after a warm-up)',
      unit: 'commands',
      better: 'lower',
      target: { max: 1 },
      anchor: bareAddSide(),
      subject: kenosRestEnqueueSide(),
    },
  ],
};
