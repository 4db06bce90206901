/**
 * Observability of the pipelines: Beam metrics served in Prometheus format ({@link
 * org.iotbeam.pipelines.observability.BeamMetricsExporter}), their Prometheus names ({@link
 * org.iotbeam.pipelines.observability.PrometheusNames}), W3C trace context ({@link
 * org.iotbeam.pipelines.observability.TraceContext}) and the MDC keys of the JSON logs ({@link
 * org.iotbeam.pipelines.observability.LogContext}). See docs/observability.md.
 */
package org.iotbeam.pipelines.observability;
