package org.iotbeam.transforms;

import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.proto.Reading;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops redelivered readings: the same device, timestamp and content seen again within
 * {@code horizon} of event time. At-least-once transports (MQTT QoS 1, Kafka retries, IoT Hub
 * redelivery) make duplicates normal; they must not count twice in an average.
 *
 * <p>The memory of a reading expires by an event-time timer {@code horizon} after it, so state
 * stays bounded by the rate times the horizon. The first copy wins, which in batch is an
 * arbitrary one of identical copies: they differ only in transport metadata.
 */
public class DeduplicateReadings extends PTransform<PCollection<Reading>, PCollection<Reading>> {
  private final Duration horizon;

  public DeduplicateReadings(Duration horizon) {
    this.horizon = horizon;
  }

  @Override
  public PCollection<Reading> expand(PCollection<Reading> readings) {
    return readings
        .apply("KeyByContent",
            WithKeys.of((Reading r) -> r.getContentHash()).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING))
        .apply("FirstCopyOnly", ParDo.of(new FirstCopyFn(horizon)))
        .setCoder(Coders.READING);
  }

  static class FirstCopyFn extends DoFn<KV<String, Reading>, Reading> {
    private final Duration horizon;
    private final Counter duplicates = TelemetryMetrics.counter(TelemetryMetrics.DUPLICATES);

    @StateId("seen")
    private final StateSpec<ValueState<Boolean>> seenSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("forget")
    private final TimerSpec forgetSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstCopyFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @Timestamp Instant timestamp,
        @StateId("seen") ValueState<Boolean> seen,
        @TimerId("forget") Timer forget,
        OutputReceiver<Reading> out) {
      if (Boolean.TRUE.equals(seen.read())) {
        duplicates.inc();
        return;
      }
      seen.write(true);
      // relative to the reading, not to the watermark: in batch the watermark sits at the
      // beginning of time until the input ends, and would forget between two bundles
      forget.set(timestamp.plus(horizon));
      out.output(e.getValue());
    }

    @OnTimer("forget")
    public void onForget(@StateId("seen") ValueState<Boolean> seen) {
      seen.clear();
    }
  }
}
