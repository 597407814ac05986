import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  stop(): Promise<void>;
}

/** Tracing is off unless an OTLP endpoint is configured (the standard OpenTelemetry variables). */
export const tracingConfigured = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) &&
  env.OTEL_SDK_DISABLED !== 'true';

/**
 * Traces over OTLP/HTTP: every HTTP request in and out (gateway → subgraphs), every PostgreSQL
 * query (event stores, read models) and every Kafka send and receive, in one trace per request
 * as W3C trace context travels on the HTTP headers and Kafka message headers. Must run before
 * the instrumented modules load; the process entry does it first.
 */
export function startTracing(service: string, instance: string): Tracing | undefined {
  if (!tracingConfigured()) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': `hub-${service}`, 'service.instance.id': instance }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? ''),
      }),
      // Queries made while serving a request; the projections' idle polling would only be noise.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
    ],
  });
  return { stop: () => provider.shutdown() };
}

/**
 * The loader hook that lets the instrumentations see ES modules too; register it (node:module's
 * `register`) before loading what they instrument.
 */
export const instrumentationLoaderHook = (): URL =>
  pathToFileURL(createRequire(import.meta.url).resolve('@opentelemetry/instrumentation/hook.mjs'));
