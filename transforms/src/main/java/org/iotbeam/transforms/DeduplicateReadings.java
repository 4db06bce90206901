package org.iotbeam.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.MapState;
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
 * <p>Keyed by device, not by content: a device's readings stay on one path from the Kafka
 * partition to alert detection (keyed by device too), so they reach it in the order they arrived,
 * and state is one map and one timer per device rather than one of each per reading. The map
 * holds the content hashes of the device's recent readings; a timer sweeps out those older than
 * the horizon at most every half horizon, so state stays bounded by the device's rate times one
 * and a half horizons. In a stream the first copy to arrive wins; in batch an arbitrary one of
 * identical copies (they differ only in transport metadata).
 */
public class DeduplicateReadings extends PTransform<PCollection<Reading>, PCollection<Reading>> {
  private final Duration horizon;

  public DeduplicateReadings(Duration horizon) {
    this.horizon = horizon;
  }

  @Override
  public PCollection<Reading> expand(PCollection<Reading> readings) {
    return readings
        .apply("KeyByDevice", WithKeys.of((Reading r) -> r.getTelemetry().getDeviceId())
            .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.READING))
        .apply("FirstCopyOnly", ParDo.of(new FirstCopyFn(horizon)))
        .setCoder(Coders.READING);
  }

  static class FirstCopyFn extends DoFn<KV<String, Reading>, Reading> {
    private final Duration horizon;
    private final Counter duplicates = TelemetryMetrics.counter(TelemetryMetrics.DUPLICATES);

    /** Content hash -> event time of the reading, for the device's recent readings. */
    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** When the sweep timer is due, or null when none is set. */
    @StateId("sweepAt")
    private final StateSpec<ValueState<Long>> sweepAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstCopyFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Reading> e,
        @Timestamp Instant timestamp,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Long> sweepAt,
        @TimerId("sweep") Timer sweep,
        OutputReceiver<Reading> out) {
      String hash = e.getValue().getContentHash();
      if (seen.get(hash).read() != null) {
        duplicates.inc();
        return;
      }
      seen.put(hash, timestamp.getMillis());
      if (sweepAt.read() == null) {
        // relative to the reading, not to the watermark: in batch the watermark sits at the
        // beginning of time until the input ends, and would forget between two bundles
        long at = timestamp.plus(horizon).getMillis();
        sweep.set(new Instant(at));
        sweepAt.write(at);
      }
      out.output(e.getValue());
    }

    @OnTimer("sweep")
    public void onSweep(
        OnTimerContext c,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("sweepAt") ValueState<Long> sweepAt,
        @TimerId("sweep") Timer sweep) {
      long now = c.timestamp().getMillis();
      long oldestKept = Long.MAX_VALUE;
      List<String> expired = new ArrayList<>();
      for (Map.Entry<String, Long> entry : seen.entries().read()) {
        long ts = entry.getValue();
        if (ts + horizon.getMillis() <= now) {
          expired.add(entry.getKey());
        } else {
          oldestKept = Math.min(oldestKept, ts);
        }
      }
      expired.forEach(seen::remove); // not while iterating: the state's own iterator
      if (oldestKept == Long.MAX_VALUE) {
        sweepAt.clear();
        return;
      }
      long next = Math.max(oldestKept + horizon.getMillis(), now + horizon.getMillis() / 2);
      sweep.set(new Instant(next));
      sweepAt.write(next);
    }
  }
}
