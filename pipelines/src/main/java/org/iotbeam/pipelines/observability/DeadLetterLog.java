package org.iotbeam.pipelines.observability;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.proto.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per dead letter, rate limited: at most {@code warnPerMinute} WARN lines per minute
 * and worker thread, the rest at DEBUG, and one WARN line per minute saying how many were not
 * shown. Each line carries the message's device id and trace id (MDC {@code deviceId}, {@code
 * traceId}), so a dead letter's log line, its record and its producer's trace meet. The counters
 * ({@code iotbeam_dead_letters_by_reason_total}) count every one. Records of stage {@link
 * Stage#RECOVERED} (a backfill resolving an earlier dead letter) are not logged.
 */
public class DeadLetterLog extends PTransform<PCollection<DeadLetter>, PDone> {
  private final int warnPerMinute;

  public DeadLetterLog(int warnPerMinute) {
    this.warnPerMinute = warnPerMinute;
  }

  @Override
  public PDone expand(PCollection<DeadLetter> input) {
    input.apply("LogDeadLetter", ParDo.of(new LogFn(warnPerMinute)));
    return PDone.in(input.getPipeline());
  }

  static class LogFn extends DoFn<DeadLetter, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);
    private final int warnPerMinute;
    private transient RateLimit limit;

    LogFn(int warnPerMinute) {
      this.warnPerMinute = warnPerMinute;
    }

    @Setup
    public void setup() {
      limit = new RateLimit(warnPerMinute, 60_000);
    }

    @ProcessElement
    public void process(@Element DeadLetter d) {
      if (Stage.RECOVERED.is(d.getStage())) {
        return; // a backfill's record that an earlier dead letter is resolved: not a failure
      }
      long skipped = limit.skippedBeforeThisWindow(System.currentTimeMillis());
      if (skipped > 0) {
        LOG.warn("{} more dead letters in the last minute were logged at DEBUG only", skipped);
      }
      boolean warn = limit.tryAcquire(System.currentTimeMillis());
      if (!warn && !LOG.isDebugEnabled()) {
        return;
      }
      String device = d.getInbound().getKey();
      try (LogContext ignored = LogContext.forMessage(device, d.getInbound().getTraceparent())) {
        String fmt = "dead letter {} reason={} stage={} source={}:{}:{}: {}";
        Object[] args = {
          d.getId(),
          d.getReason(),
          d.getStage(),
          d.getInbound().getSource().getTopic(),
          d.getInbound().getSource().getPartition(),
          d.getInbound().getSource().getOffset(),
          d.getDetail()
        };
        if (warn) {
          LOG.warn(fmt, args);
        } else {
          LOG.debug(fmt, args);
        }
      }
    }
  }

  /** At most {@code permits} per fixed window of {@code windowMs}; counts what it refused. */
  static final class RateLimit {
    private final int permits;
    private final long windowMs;
    private long windowStart = Long.MIN_VALUE;
    private int used;
    private long refused;

    RateLimit(int permits, long windowMs) {
      this.permits = permits;
      this.windowMs = windowMs;
    }

    /** Rolls the window if it is over; returns how many the finished window refused. */
    long skippedBeforeThisWindow(long now) {
      if (windowStart != Long.MIN_VALUE && now - windowStart < windowMs) {
        return 0;
      }
      long r = refused;
      windowStart = now;
      used = 0;
      refused = 0;
      return r;
    }

    boolean tryAcquire(long now) {
      skippedBeforeThisWindow(now); // no-op inside the window
      if (used < permits) {
        used++;
        return true;
      }
      refused++;
      return false;
    }
  }
}
