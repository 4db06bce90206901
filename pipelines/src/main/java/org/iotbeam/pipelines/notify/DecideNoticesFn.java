package org.iotbeam.pipelines.notify;

import java.util.Optional;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.iotbeam.domain.notify.FlapSettings;
import org.iotbeam.domain.notify.SeriesNotifier;
import org.iotbeam.domain.notify.SeriesState;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.Notice;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;

/**
 * Per alert series (key: device|rule), the {@link SeriesNotifier}'s decisions in Beam state: a
 * replayed alert event is dropped, a flapping series is told once and again when it settles (an
 * event-time timer). The state is checkpointed with the job, so the decisions survive a restart
 * from a checkpoint, and a backfill or replay of the alerts finds them.
 */
class DecideNoticesFn extends DoFn<KV<String, Alert>, Notice> {
  private final SeriesNotifier notifier;
  private final Counter replays = TelemetryMetrics.counter(NotifyMetrics.REPLAYS_DROPPED);
  private final Counter flapping = TelemetryMetrics.counter(NotifyMetrics.FLAPPING);
  private final Counter heldFlapping = TelemetryMetrics.counter(NotifyMetrics.HELD_FLAPPING);

  @StateId("series")
  private final StateSpec<ValueState<SeriesState>> seriesSpec =
      StateSpecs.value(SerializableCoder.of(SeriesState.class));

  @TimerId("settle")
  private final TimerSpec settleSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  DecideNoticesFn(FlapSettings flapSettings) {
    this.notifier = new SeriesNotifier(flapSettings);
  }

  @ProcessElement
  public void process(
      @Element KV<String, Alert> e,
      @StateId("series") ValueState<SeriesState> series,
      @TimerId("settle") Timer settle,
      OutputReceiver<Notice> out) {
    SeriesState s = Optional.ofNullable(series.read()).orElseGet(SeriesState::new);
    SeriesNotifier.Outcome o = notifier.onAlert(s, e.getValue());
    switch (o.verdict()) {
      case DUPLICATE -> replays.inc();
      case FLAPPING_STARTED -> flapping.inc();
      case HELD_WHILE_FLAPPING -> heldFlapping.inc();
      default -> {}
    }
    o.notices().forEach(out::output);
    o.settleCheckAtMs().ifPresent(t -> settle.set(new Instant(t)));
    if (o.verdict() != SeriesNotifier.Verdict.DUPLICATE) {
      series.write(s);
    }
  }

  @OnTimer("settle")
  public void onSettle(OnTimerContext c, @StateId("series") ValueState<SeriesState> series) {
    SeriesState s = series.read();
    if (s == null) {
      return;
    }
    Optional<Notice> settled = notifier.onSettleCheck(s, c.timestamp().getMillis());
    if (settled.isPresent()) {
      c.output(settled.get());
      series.write(s);
    }
  }
}
