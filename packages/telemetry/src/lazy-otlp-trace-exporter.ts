import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** Settings of the OTLP/HTTP trace exporter. */
export interface OtlpExporterSettings {
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
}

/**
 * The OTLP/HTTP trace exporter, loaded on the first export: a service that never exports
 * (no endpoint configured) never pays the startup time and memory of the OTLP modules.
 */
export class LazyOtlpTraceExporter implements SpanExporter {
  private exporter: Promise<SpanExporter> | undefined;

  constructor(private readonly settings: OtlpExporterSettings) {}

  private load(): Promise<SpanExporter> {
    this.exporter ??= import('@opentelemetry/exporter-trace-otlp-http').then(
      (m) => new m.OTLPTraceExporter({ ...this.settings }),
    );
    return this.exporter;
  }

  export(
    spans: ReadableSpan[],
    resultCallback: (result: ExportResult) => void,
  ): void {
    this.load().then(
      (exporter) => exporter.export(spans, resultCallback),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  async forceFlush(): Promise<void> {
    if (this.exporter) await (await this.exporter).forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.exporter) await (await this.exporter).shutdown();
  }
}
