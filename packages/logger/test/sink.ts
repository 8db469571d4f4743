import { createLogger, type Logger, type LoggerOptions } from '../src/index.js';

export interface Captured {
  logger: Logger;
  /** Every line written, parsed. */
  records: Record<string, any>[];
  /** Every line written, as written. */
  raw: string[];
}

/** A logger writing into memory, with the standard fields of a test service. */
export function captureLogger(options: Partial<LoggerOptions> = {}): Captured {
  const records: Record<string, any>[] = [];
  const raw: string[] = [];
  const logger = createLogger({
    service: 'orders',
    version: '2.3.4',
    env: 'test',
    component: 'api',
    level: 'info',
    format: 'json',
    ...options,
    destination: {
      write(line: string) {
        raw.push(line);
        records.push(JSON.parse(line) as Record<string, any>);
      },
    },
  });
  return { logger, records, raw };
}
