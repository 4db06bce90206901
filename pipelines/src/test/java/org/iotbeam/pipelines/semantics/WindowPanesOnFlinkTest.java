package org.iotbeam.pipelines.semantics;

import java.util.Locale;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.alerting.OutOfOrderPolicy;
import org.iotbeam.domain.stats.TumblingWindows;
import org.iotbeam.proto.DeviceProfile;
import org.iotbeam.proto.Reading;
import org.iotbeam.proto.Telemetry;
import org.iotbeam.proto.WindowAggregate;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeviceTimeline;
import org.iotbeam.transforms.WindowedStatistics;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Window panes on the runner production uses (Flink, streaming), where timers fire one at a time: a
 * watermark that leaps past a window's end and its allowed lateness in one step fires the
 * end-of-window and the garbage-collection timer back to back. Exactly one pane must come out,
 * complete and final; an empty "on time" pane after it would be the last record for its id.
 */
public class WindowPanesOnFlinkTest {
  private static final TumblingWindows WINDOWS =
      new TumblingWindows(
          Duration.standardMinutes(5).getMillis(), Duration.standardMinutes(10).getMillis());
  private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  private static final long MINUTE = 60_000L;

  @Rule public final transient TestPipeline p = TestPipeline.fromOptions(flinkStreaming());

  private static FlinkPipelineOptions flinkStreaming() {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setParallelism(2);
    o.setStreaming(true);
    return o;
  }

  private static TimestampedValue<Reading> at(String device, long ts, double temperature) {
    Reading r =
        Reading.newBuilder()
            .setTelemetry(
                Telemetry.newBuilder()
                    .setDeviceId(device)
                    .setTimestampMs(ts)
                    .setTemperature(temperature))
            .setDevice(DeviceProfile.newBuilder().setDeviceId(device).setDeviceType("generic"))
            .build();
    return TimestampedValue.of(r, new Instant(ts));
  }

  @Test
  public void aWatermarkJumpGivesOneCompleteFinalPanePerWindowAndNoEmptyOne() {
    TestStream<Reading> stream =
        TestStream.create(Coders.READING)
            .advanceWatermarkTo(new Instant(T0))
            .addElements(
                at("dev-1", T0 + MINUTE, 10),
                at("dev-1", T0 + 2 * MINUTE, 20),
                at("dev-2", T0 + 3 * MINUTE, 30),
                at("dev-2", T0 + 7 * MINUTE, 40))
            // past both windows' end plus their 10 minutes of lateness at once
            .advanceWatermarkTo(new Instant(T0 + 60 * MINUTE))
            .addElements(at("dev-1", T0 + 61 * MINUTE, 50))
            .advanceWatermarkToInfinity(); // and a bounded end: the last window jumps too

    PAssert.that(
            p.apply(stream)
                .apply(
                    new DeviceTimeline(
                        Duration.standardMinutes(10),
                        AlertRules.none(),
                        OutOfOrderPolicy.EVALUATE,
                        WINDOWS,
                        false))
                .get(DeviceTimeline.WINDOW_STATS)
                .apply(new WindowedStatistics(WINDOWS, null, Duration.standardSeconds(30)))
                .apply(Filter.by((WindowAggregate a) -> a.getMetric().equals("temperature")))
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            a ->
                                String.format(
                                    Locale.ROOT,
                                    "%s@%d %s#%d final=%b n=%d",
                                    a.getDeviceId(),
                                    (a.getWindowStartMs() - T0) / MINUTE,
                                    a.getPaneTiming(),
                                    a.getPaneIndex(),
                                    a.getFinalPane(),
                                    a.getCount()))))
        .containsInAnyOrder(
            "dev-1@0 ON_TIME#0 final=true n=2",
            "dev-2@0 ON_TIME#0 final=true n=1",
            "dev-2@5 ON_TIME#0 final=true n=1",
            "dev-1@60 ON_TIME#0 final=true n=1");
    p.run().waitUntilFinish();
  }
}
