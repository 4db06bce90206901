package org.iotbeam.pipelines.azure.servicebus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Sends items as few size-limited batches, and accounts for every item: each one is either in a
 * batch that was sent or in {@link Result#failures()}, never lost.
 *
 * <p>A batch is filled until {@link Batch#tryAdd} refuses; then it is sent, a new one is started
 * and the refused message goes into it (not dropped). A message that does not fit even an empty
 * batch is a failure ("too large"); a batch whose send fails (after the client's own retries) fails
 * all its items. Items keep their order.
 *
 * @param <T> what the caller has (an alert)
 * @param <M> what goes into a batch (a Service Bus message)
 */
public final class MessageBatcher<T, M> {

  /** A size-limited batch being filled. */
  public interface Batch<M> {
    /** False when the message would make the batch too large (the batch is unchanged). */
    boolean tryAdd(M message);
  }

  /** Makes and sends batches; the Service Bus sender in production, a fake in tests. */
  public interface Channel<M, B extends Batch<M>> {
    B newBatch();

    void send(B batch) throws Exception;
  }

  /** An item that was not sent, and why. */
  public record Failure<T>(T item, String reason, Exception cause) {}

  public record Result<T>(int sent, int batches, List<Failure<T>> failures) {}

  private final Function<T, M> toMessage;

  public MessageBatcher(Function<T, M> toMessage) {
    this.toMessage = toMessage;
  }

  public <B extends Batch<M>> Result<T> sendAll(List<T> items, Channel<M, B> channel) {
    List<Failure<T>> failures = new ArrayList<>();
    int[] sent = {0};
    int[] batches = {0};
    B batch = null;
    List<T> inBatch = new ArrayList<>();
    for (T item : items) {
      M message;
      try {
        message = toMessage.apply(item);
      } catch (RuntimeException e) {
        failures.add(new Failure<>(item, "not mappable to a message: " + e.getMessage(), e));
        continue;
      }
      if (batch == null) {
        batch = channel.newBatch();
      }
      if (tryAdd(batch, message)) {
        inBatch.add(item);
        continue;
      }
      if (inBatch.isEmpty()) {
        failures.add(
            new Failure<>(
                item, "does not fit an empty batch (larger than the maximum batch size)", null));
        continue;
      }
      send(channel, batch, inBatch, failures, sent, batches);
      batch = channel.newBatch();
      inBatch = new ArrayList<>();
      if (tryAdd(batch, message)) {
        inBatch.add(item);
      } else {
        failures.add(
            new Failure<>(
                item, "does not fit an empty batch (larger than the maximum batch size)", null));
      }
    }
    if (!inBatch.isEmpty()) {
      send(channel, batch, inBatch, failures, sent, batches);
    }
    return new Result<>(sent[0], batches[0], failures);
  }

  private static <M> boolean tryAdd(Batch<M> batch, M message) {
    try {
      return batch.tryAdd(message);
    } catch (RuntimeException e) {
      // e.g. the client could not serialize the message: treat like "does not fit"
      return false;
    }
  }

  private static <T, M, B extends Batch<M>> void send(
      Channel<M, B> channel,
      B batch,
      List<T> inBatch,
      List<Failure<T>> failures,
      int[] sent,
      int[] batches) {
    try {
      channel.send(batch);
      sent[0] += inBatch.size();
      batches[0]++;
    } catch (Exception e) {
      for (T item : inBatch) {
        failures.add(new Failure<>(item, "send failed: " + e, e));
      }
    }
  }
}
