package org.iotbeam.pipelines.notify;

/** A message was not delivered; {@link #retryable()} says whether trying again could help. */
public class DeliveryException extends Exception {
  private final boolean retryable;

  public DeliveryException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public DeliveryException(String message, boolean retryable) {
    this(message, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }
}
