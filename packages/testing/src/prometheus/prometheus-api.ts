import { TestingError } from '../testing-error.js';

/** One series of an instant query's result. */
export interface PrometheusSample {
  /** The labels of the series (`__name__` included for a plain selector; `{}` for a scalar). */
  metric: Record<string, string>;
  /** `[unix time in seconds, value as text]`; for a range vector, its newest sample. */
  value: [number, string];
}

/** A scrape target as Prometheus reports it (`/api/v1/targets`). */
export interface ActiveTarget {
  scrapeUrl: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  error?: string;
  data?: T;
}

type QueryData =
  | { resultType: 'vector'; result: PrometheusSample[] }
  | {
      resultType: 'matrix';
      result: { metric: Record<string, string>; values: [number, string][] }[];
    }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/** Every request to Prometheus gives up after this long. */
const REQUEST_TIMEOUT_MS = 10_000;

async function call<T>(
  url: string,
  init: RequestInit,
  what: string,
): Promise<T> {
  let body: ApiResponse<T>;
  try {
    const res = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    body = (await res.json()) as ApiResponse<T>;
  } catch (err) {
    throw new TestingError(
      'KENOS_ERR_TESTING_PROMETHEUS_QUERY',
      `Prometheus did not answer ${what}: ${String(err)}`,
      { cause: err },
    );
  }
  if (body.status !== 'success' || body.data === undefined) {
    throw new TestingError(
      'KENOS_ERR_TESTING_PROMETHEUS_QUERY',
      `Prometheus rejected ${what}: ${body.error ?? JSON.stringify(body)}`,
    );
  }
  return body.data;
}

/** Runs an instant query; the result as samples, whatever its type. */
export async function instantQuery(
  base: string,
  promql: string,
): Promise<PrometheusSample[]> {
  const data = await call<QueryData>(
    `${base}/api/v1/query`,
    { method: 'POST', body: new URLSearchParams({ query: promql }) },
    `the query ${promql}`,
  );
  switch (data.resultType) {
    case 'vector':
      return data.result;
    case 'matrix':
      return data.result.flatMap(({ metric, values }) => {
        const last = values.at(-1);
        return last ? [{ metric, value: last }] : [];
      });
    default:
      return [{ metric: {}, value: data.result }];
  }
}

/** The active scrape targets with their health and last scrape error. */
export async function activeTargets(base: string): Promise<ActiveTarget[]> {
  const data = await call<{ activeTargets: ActiveTarget[] }>(
    `${base}/api/v1/targets?state=active`,
    {},
    'the targets request',
  );
  return data.activeTargets;
}
