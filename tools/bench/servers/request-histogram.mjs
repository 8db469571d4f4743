// The HTTP request histogram as a team defines it by hand with prom-client: the anchors' counterpart
// of Kenos's RED histogram (same name and labels, prom-client's default-like buckets).
import client from 'prom-client';

/** A prom-client `Histogram` of request durations by method, route template and status, on `registry`. */
export function requestDurationHistogram(registry) {
  return new client.Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: [
      'http_request_method',
      'http_route',
      'http_response_status_code',
    ],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}
