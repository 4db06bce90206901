package org.iotbeam.pipelines.notify;

import org.iotbeam.proto.OutgoingMessage;

/** One way of telling a recipient: sends one message, once, or says why it could not. */
public interface NotificationChannel extends AutoCloseable {
  /**
   * Sends {@code m} to {@code m.getRecipient()}: one attempt, no retries (the caller retries).
   *
   * @throws DeliveryException saying why, and whether another attempt could succeed
   */
  void send(OutgoingMessage m) throws DeliveryException;

  @Override
  default void close() {}
}
