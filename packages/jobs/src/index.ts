/**
 * @kenos/jobs: Job queues for Kenos workers: the BullMQ-on-Redis adapter and the producer API.
 *
 * Export every public symbol by name (no `export *`); each export is part of
 * the API report in `api/jobs.api.md`.
 *
 * @packageDocumentation
 */
export { createBullmqJobQueue } from './bullmq-job-queue.js';
export type { BullmqJobQueue, QueueDepth } from './bullmq-job-queue.js';
export type { BullmqJobQueueOptions, JobsLogger } from './bullmq-options.js';
export { bullmqQueue } from './bullmq-queue.js';
export type { BullmqQueueContext, BullmqQueueOptions } from './bullmq-queue.js';
export { JobsError } from './jobs-error.js';
export type { JobsErrorCode } from './jobs-error.js';
