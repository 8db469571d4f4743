// The anchor of the jobs case: a bare BullMQ Worker with a no-op processor on queue `noop` of
// REDIS_URL, key prefix BULLMQ_PREFIX, BENCH_WORKER_CONCURRENCY jobs at a time, BullMQ's
// defaults otherwise; prints `worker ready` once connected. With ACCESS_LOG_FILE set (the floor
// of the case), it also writes two raw pino lines per job to that file in 4 KiB batches, as Kenos
// writes its own: "job started" and "job completed" with the job id. SIGTERM closes it, exit 0.
import { Worker } from 'bullmq';
import pino from 'pino';

const file = process.env.ACCESS_LOG_FILE;
const logger = file
  ? pino(pino.destination({ dest: file, sync: true, minLength: 4096 }))
  : undefined;
const noop = async () => {
  // a no-op job: the drain measures the queue and the worker, not the handler
};
const logged = async (job) => {
  const start = performance.now();
  logger.info({ job_id: job.id, job: 'noop' }, 'job started');
  await noop(job);
  logger.info(
    {
      job_id: job.id,
      job: 'noop',
      duration_ms: Math.round(performance.now() - start),
    },
    'job completed',
  );
};
const url = new URL(process.env.REDIS_URL);
const worker = new Worker('noop', logger ? logged : noop, {
  connection: { host: url.hostname, port: Number(url.port) },
  prefix: process.env.BULLMQ_PREFIX ?? 'bull',
  concurrency: Number(process.env.BENCH_WORKER_CONCURRENCY ?? 10),
});
worker.on('error', (err) => console.error(err));
await worker.waitUntilReady();
console.log('worker ready');
process.on('SIGTERM', () =>
  worker.close().then(() => {
    logger?.flush();
    process.exit(0);
  }),
);
