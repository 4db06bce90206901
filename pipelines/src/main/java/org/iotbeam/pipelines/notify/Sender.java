package org.iotbeam.pipelines.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.iotbeam.pipelines.azure.cosmos.Sleeper;
import org.iotbeam.proto.OutgoingMessage;

/**
 * Sends over one channel so that a failing channel costs little and hides nothing: unless the
 * destination's {@link CircuitBreaker} is open, the message is claimed in the {@link SendLedger} (a
 * message already sent is not sent again), tried up to {@code maxAttempts} times with doubling
 * backoff while the failure is retryable, and its outcome recorded. (The other channels send in
 * steps of their own.)
 */
public final class Sender implements AutoCloseable {
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Function<OutgoingMessage, String> destination;
  private final NotificationChannel delegate;
  private final SendLedger ledger;
  private final int maxAttempts;
  private final long initialBackoffMs;
  private final Sleeper sleeper;
  private final LongSupplier clock;

  public enum Status {
    SENT,
    ALREADY_SENT,
    FAILED
  }

  /**
   * @param attempts how many sends were tried (0: not tried)
   * @param detail why it failed, for the dead letter
   */
  public record Result(Status status, int attempts, String detail) {}

  /**
   * @param destination where a message goes, for its circuit breaker: the relay, the service, the
   *     webhook URL
   */
  public Sender(
      Function<OutgoingMessage, String> destination,
      NotificationChannel delegate,
      SendLedger ledger,
      int maxAttempts,
      long initialBackoffMs,
      Sleeper sleeper,
      LongSupplier clock) {
    this.destination = destination;
    this.delegate = delegate;
    this.ledger = ledger;
    this.maxAttempts = maxAttempts;
    this.initialBackoffMs = initialBackoffMs;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  public Result send(OutgoingMessage m) throws InterruptedException {
    CircuitBreaker breaker = CircuitBreaker.of(destination.apply(m));
    String refusal = breaker.refusal(clock.getAsLong());
    if (refusal != null) {
      return new Result(Status.FAILED, 0, refusal);
    }
    try {
      switch (ledger.claim(m.getKey())) {
        case SENT:
          return new Result(Status.ALREADY_SENT, 0, "");
        case IN_DOUBT:
          return new Result(
              Status.FAILED,
              0,
              "not sent again: an earlier attempt (before a "
                  + "restart) was interrupted, it may or may not have reached the recipient");
        default:
          break;
      }
    } catch (IOException e) {
      return new Result(Status.FAILED, 0, "the send ledger cannot be written: " + e);
    }
    String error = "";
    long backoff = initialBackoffMs;
    int attempt = 0;
    while (attempt < maxAttempts) {
      attempt++;
      try {
        delegate.send(m);
        breaker.succeeded();
        record(m.getKey(), true);
        return new Result(Status.SENT, attempt, "");
      } catch (DeliveryException e) {
        error = e.getMessage();
        if (!e.retryable()) {
          break;
        }
      } catch (RuntimeException e) {
        // an SDK failing in an unexpected way must not take the pipeline down with it
        error = e.toString();
      }
      if (attempt < maxAttempts) {
        sleeper.sleep(Duration.ofMillis(backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
    breaker.failed(clock.getAsLong());
    record(m.getKey(), false);
    return new Result(Status.FAILED, attempt, "after " + attempt + " attempt(s): " + error);
  }

  private void record(String key, boolean sent) {
    try {
      if (sent) {
        ledger.sent(key);
      } else {
        ledger.failed(key);
      }
    } catch (IOException e) {
      // the message's fate is known and reported; the ledger only misses it for a replay
      org.slf4j.LoggerFactory.getLogger(Sender.class)
          .warn("send ledger: cannot record {} as {}: {}", key, sent ? "sent" : "failed", e);
    }
  }

  @Override
  public void close() {
    delegate.close();
    ledger.close();
  }
}
