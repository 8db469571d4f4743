import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchContext } from '@kenos/server';

/** `batch:daily-report`: logs a summary and exits 0 (or 1 when told to fail). */
export async function dailyReport(
  settings: { fail: boolean; durationMs: number; greeting: string },
  { signal, logger }: BatchContext,
): Promise<void> {
  // SIGTERM aborts `signal`: the wait rejects and the batch exits 1
  if (settings.durationMs > 0)
    await sleep(settings.durationMs, undefined, { signal });
  if (settings.fail)
    throw new Error('daily report failed (GREETER_REPORT_FAIL=true)');
  logger.info(
    {
      report: {
        date: new Date().toISOString().slice(0, 10),
        greeting: settings.greeting,
        greetings_sent: 0,
      },
    },
    'daily report',
  );
}
