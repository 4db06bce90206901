package org.iotbeam.pipelines.kafka;

import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time timestamps and a watermark for one Kafka partition: the watermark is the largest
 * event time seen minus {@code maxDelay} (the out-of-order data tolerated), never ahead of the
 * wall clock minus {@code maxDelay}.
 *
 * <p>Like Beam's {@code CustomTimestampPolicyWithLimitedDelay}, an idle partition (the reader is
 * caught up: backlog 0) advances its watermark to {@code backlogCheckTime - maxDelay}, so a quiet
 * partition does not hold back the windows of the others. Unlike it (Beam 2.70.0 only advances
 * after the partition has produced one record), a partition that has never seen a record also
 * advances: an empty Event Hubs partition is normal, and it must not stall every window forever.
 */
public class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final Duration maxDelay;
  private final long maxAgeMs;
  private final long maxFutureMs;
  private Instant maxEventTime;
  private Instant lastWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  public EventTimePolicy(Duration maxDelay, long maxAgeMs, long maxFutureMs,
      Optional<Instant> previousWatermark) {
    this.maxDelay = maxDelay;
    this.maxAgeMs = maxAgeMs;
    this.maxFutureMs = maxFutureMs;
    this.maxEventTime = previousWatermark.map(w -> w.plus(maxDelay))
        .orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  /** The factory KafkaIO serializes and calls once per partition. */
  public static TimestampPolicyFactory<byte[], byte[]> factory(Duration maxDelay, long maxAgeMs,
      long maxFutureMs) {
    return (TopicPartition tp, Optional<Instant> previous) ->
        new EventTimePolicy(maxDelay, maxAgeMs, maxFutureMs, previous);
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    long recordTs = record.getTimestamp();
    long event = EventTimes.fromPayload(record.getKV().getValue());
    boolean eventTime = EventTimes.isPlausible(event, recordTs, maxAgeMs, maxFutureMs);
    Instant ts = new Instant(eventTime ? event : Math.max(recordTs, 0));
    // only a plausible device time moves the watermark: a broken record in a replayed backlog
    // (stamped with the broker's time) must not make every later reading late
    if (eventTime && ts.isAfter(maxEventTime)) {
      maxEventTime = ts;
    }
    return ts;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return watermark(ctx.getMessageBacklog(), ctx.getBacklogCheckTime(), Instant.now());
  }

  /** Never moves back: an old record after an idle jump is late, not a reason to regress. */
  Instant watermark(long backlog, Instant backlogCheckTime, Instant now) {
    Instant w = rawWatermark(backlog, backlogCheckTime, now);
    if (w.isAfter(lastWatermark)) {
      lastWatermark = w;
    }
    return lastWatermark;
  }

  private Instant rawWatermark(long backlog, Instant backlogCheckTime, Instant now) {
    if (maxEventTime.isAfter(now)) {
      return now.minus(maxDelay);
    }
    if (backlog == 0 && backlogCheckTime != null
        && backlogCheckTime.minus(maxDelay).isAfter(maxEventTime)) {
      return backlogCheckTime.minus(maxDelay); // idle: caught up, no data in flight
    }
    return maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE.plus(maxDelay))
        ? maxEventTime.minus(maxDelay)
        : BoundedWindow.TIMESTAMP_MIN_VALUE;
  }
}
