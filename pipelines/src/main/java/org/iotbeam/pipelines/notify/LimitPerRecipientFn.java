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
import org.iotbeam.domain.notify.OutgoingMessages;
import org.iotbeam.domain.notify.RateLimit;
import org.iotbeam.domain.notify.RecipientRateLimiter;
import org.iotbeam.domain.notify.RecipientState;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Duration;

/**
 * Per recipient (key: {@link #key channel and recipient}), the {@link RecipientRateLimiter} in Beam
 * state: a delivery within the limit becomes a message at once, one beyond it is held; a
 * processing-time timer ends each period and sends the digest of what was held. The timer holds
 * this step's output watermark at the timestamp of the message that started the period, so a digest
 * is never late for the steps after it.
 */
class LimitPerRecipientFn extends DoFn<KV<String, Delivery>, OutgoingMessage> {
  private final RecipientRateLimiter limiter;
  private final Counter held = TelemetryMetrics.counter(NotifyMetrics.HELD);
  private final Counter digests = TelemetryMetrics.counter(NotifyMetrics.DIGESTS);

  @StateId("recipient")
  private final StateSpec<ValueState<RecipientState>> recipientSpec =
      StateSpecs.value(SerializableCoder.of(RecipientState.class));

  @TimerId("periodEnd")
  private final TimerSpec periodEndSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

  /** The key of a delivery: {@code <channel>\n<recipient>}. */
  static String key(Delivery d) {
    return d.getChannel() + "\n" + d.getRecipient();
  }

  LimitPerRecipientFn(RateLimit limit) {
    this.limiter = new RecipientRateLimiter(limit);
  }

  @ProcessElement
  public void process(
      @Element KV<String, Delivery> e,
      @StateId("recipient") ValueState<RecipientState> recipient,
      @TimerId("periodEnd") Timer periodEnd,
      OutputReceiver<OutgoingMessage> out) {
    RecipientState s = Optional.ofNullable(recipient.read()).orElseGet(RecipientState::new);
    Delivery d = e.getValue();
    RecipientRateLimiter.Outcome o = limiter.offer(s, d, System.currentTimeMillis());
    if (o.verdict() == RecipientRateLimiter.Verdict.SEND) {
      out.output(OutgoingMessages.single(d));
    } else {
      held.inc();
    }
    if (o.periodStarted()) {
      periodEnd.offset(period()).setRelative();
    }
    recipient.write(s);
  }

  @OnTimer("periodEnd")
  public void onPeriodEnd(
      OnTimerContext c,
      @Key String key,
      @StateId("recipient") ValueState<RecipientState> recipient,
      @TimerId("periodEnd") Timer periodEnd) {
    RecipientState s = recipient.read();
    if (s == null) {
      return;
    }
    long now = System.currentTimeMillis();
    Optional<RecipientRateLimiter.Digest> d = limiter.onPeriodEnd(s, now);
    if (d.isPresent()) {
      digests.inc();
      int nl = key.indexOf('\n');
      c.output(OutgoingMessages.digest(key.substring(0, nl), key.substring(nl + 1), d.get(), now));
      periodEnd.offset(period()).setRelative();
    }
    recipient.write(s);
  }

  private Duration period() {
    return Duration.millis(limiter.limit().periodMillis());
  }
}
