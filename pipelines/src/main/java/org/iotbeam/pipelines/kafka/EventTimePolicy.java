package org.iotbeam.pipelines.kafka;

import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event-time timestamps and a watermark for one Kafka partition, driven by the data and never by
 * the wall clock alone.
 *
 * <ul>
 *   <li><b>Active</b> (a record arrived within {@code idleTimeout}, or the reader is behind): the
 *       largest event time seen minus {@code maxDelay}, the out-of-order data tolerated. However
 *       far the devices' clocks trail the broker's (IoT Hub routing, a bridge, a buffering gateway,
 *       throttling), on-time data stays on time: the watermark follows the data.
 *   <li><b>Idle</b> (caught up, and nothing for {@code idleTimeout}): it stops holding the others
 *       back. It follows the slowest active partition of the same read in this JVM (when the whole
 *       stream is quiet, the most advanced one), and its own event-time clock runs on at wall-clock
 *       speed from where its data left it, so the lag its data had is kept rather than reset to
 *       zero; it takes whichever is further.
 *   <li><b>Never used</b> (an empty Event Hubs partition is normal): it follows the others in this
 *       JVM likewise; when this JVM reads no other partition at all, after {@code idleTimeout} it
 *       falls back to the wall clock minus {@code maxDelay + idleTimeout}. That is the one case
 *       where lagging data can turn late: a cluster whose task reads only empty partitions while
 *       others, in other JVMs, lag by more than that. Spread partitions evenly over tasks (the
 *       default) and it does not arise.
 * </ul>
 *
 * <p>Never ahead of the wall clock minus {@code maxDelay} when device clocks run fast, and never
 * moves back.
 */
public class EventTimePolicy extends TimestampPolicy<byte[], byte[]> {
  private final Duration maxDelay;
  private final Duration idleTimeout;
  private final long maxAgeMs;
  private final long maxFutureMs;
  private final PartitionClocks.Group peers;
  private final String partition;
  private final long createdWallMs;
  private Instant maxEventTime;
  private long lastRecordWallMs;
  private Instant lastWatermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

  EventTimePolicy(
      Duration maxDelay,
      Duration idleTimeout,
      long maxAgeMs,
      long maxFutureMs,
      PartitionClocks.Group peers,
      String partition,
      Optional<Instant> previousWatermark,
      long nowMs) {
    this.maxDelay = maxDelay;
    this.idleTimeout = idleTimeout;
    this.maxAgeMs = maxAgeMs;
    this.maxFutureMs = maxFutureMs;
    this.peers = peers;
    this.partition = partition;
    this.createdWallMs = nowMs;
    this.maxEventTime =
        previousWatermark.map(w -> w.plus(maxDelay)).orElse(BoundedWindow.TIMESTAMP_MIN_VALUE);
    // restored from a checkpoint: active until proven idle, so it does not leap at once
    this.lastRecordWallMs = previousWatermark.isPresent() ? nowMs : Long.MIN_VALUE;
    if (previousWatermark.isPresent()) {
      lastWatermark = previousWatermark.get();
    }
  }

  /**
   * The factory KafkaIO serializes and calls once per partition. Each call of this method is one
   * read, whose partitions in one JVM see each other (see {@link PartitionClocks}).
   */
  public static TimestampPolicyFactory<byte[], byte[]> factory(
      Duration maxDelay, Duration idleTimeout, long maxAgeMs, long maxFutureMs) {
    String group = UUID.randomUUID().toString();
    return (TopicPartition tp, Optional<Instant> previous) ->
        new EventTimePolicy(
            maxDelay,
            idleTimeout,
            maxAgeMs,
            maxFutureMs,
            PartitionClocks.group(group),
            tp.toString(),
            previous,
            System.currentTimeMillis());
  }

  @Override
  public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
    return new Instant(
        onRecord(record.getKV().getValue(), record.getTimestamp(), System.currentTimeMillis()));
  }

  /** The record's timestamp; a plausible device time also moves this partition's clock. */
  long onRecord(byte[] payload, long recordTs, long nowMs) {
    long event = EventTimes.fromPayload(payload);
    boolean eventTime = EventTimes.isPlausible(event, recordTs, maxAgeMs, maxFutureMs);
    long ts = eventTime ? event : Math.max(recordTs, 0);
    lastRecordWallMs = nowMs;
    // only a plausible device time moves the watermark: a broken record in a replayed backlog
    // (stamped with the broker's time) must not make every later reading late
    if (eventTime && ts > maxEventTime.getMillis()) {
      maxEventTime = new Instant(ts);
    }
    return ts;
  }

  @Override
  public Instant getWatermark(PartitionContext ctx) {
    return watermark(ctx.getMessageBacklog(), System.currentTimeMillis());
  }

  /** Never moves back: an old record after an idle stretch is late, not a reason to regress. */
  Instant watermark(long backlog, long nowMs) {
    boolean caughtUp = backlog == 0;
    boolean hasData = maxEventTime.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE);
    long quietMs = hasData ? nowMs - lastRecordWallMs : nowMs - createdWallMs;
    boolean idle = caughtUp && quietMs > idleTimeout.getMillis();
    Instant w;
    if (!idle) {
      w = hasData ? maxEventTime.minus(maxDelay) : BoundedWindow.TIMESTAMP_MIN_VALUE;
    } else {
      Optional<Instant> leader = peers.leader(partition);
      if (hasData) {
        Instant ownClock =
            maxEventTime.minus(maxDelay).plus(Duration.millis(quietMs - idleTimeout.getMillis()));
        w = leader.filter(p -> p.isAfter(ownClock)).orElse(ownClock);
      } else {
        w = leader.orElse(new Instant(nowMs).minus(maxDelay).minus(idleTimeout));
      }
    }
    Instant ceiling = new Instant(nowMs).minus(maxDelay);
    if (w.isAfter(ceiling)) {
      w = ceiling; // device clocks ahead of ours: never further than the wall clock allows
    }
    if (w.isAfter(lastWatermark)) {
      lastWatermark = w;
    }
    peers.report(partition, lastWatermark, !idle && hasData, hasData);
    return lastWatermark;
  }
}
