package org.iotbeam.pipelines.azure.servicebus;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alert events to a Service Bus queue ({@link AlertMessages} says what a message looks like)
 * and returns the alerts it could not send as dead letters (stage {@link Stage#SINK}, reason {@link
 * Reason#SINK_WRITE_FAILED}, the alert's bytes as payload).
 *
 * <p>Alerts are buffered per bundle and sent in {@code @FinishBundle} as size-limited batches
 * ({@link MessageBatcher} over {@code createMessageBatch}/{@code tryAddMessage}); the sender is
 * created in {@code @Setup}, closed in {@code @Teardown}, and retries sends with exponential
 * backoff ({@link ServiceBusConnection#retryOptions()}). Delivery is at-least-once; the queue's
 * duplicate detection on the message id turns replays into exactly-once notifications. Counters:
 * {@code servicebus_alerts_sent}, {@code servicebus_alerts_failed}, {@code
 * servicebus_batches_sent}.
 */
public final class ServiceBusAlertSink
    extends PTransform<PCollection<Alert>, PCollection<DeadLetter>> {
  private final ServiceBusConnection connection;

  public ServiceBusAlertSink(ServiceBusConnection connection) {
    this.connection = connection;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Alert> alerts) {
    return alerts
        .apply("SendTo_" + connection.queue(), ParDo.of(new SendFn(connection)))
        .setCoder(Coders.DEAD_LETTER);
  }

  /** The real channel: Service Bus batches through a sender client. */
  static final class SenderChannel
      implements MessageBatcher.Channel<ServiceBusMessage, SenderChannel.RealBatch> {
    private final ServiceBusSenderClient sender;

    SenderChannel(ServiceBusSenderClient sender) {
      this.sender = sender;
    }

    record RealBatch(ServiceBusMessageBatch batch)
        implements MessageBatcher.Batch<ServiceBusMessage> {
      @Override
      public boolean tryAdd(ServiceBusMessage message) {
        return batch.tryAddMessage(message);
      }
    }

    @Override
    public RealBatch newBatch() {
      return new RealBatch(sender.createMessageBatch());
    }

    @Override
    public void send(RealBatch batch) {
      sender.sendMessages(batch.batch());
    }
  }

  /** Sends alerts now, in batches; what comes back was not sent. */
  public static MessageBatcher.Result<Alert> send(
      ServiceBusSenderClient sender, List<Alert> alerts, boolean sessions) {
    return new MessageBatcher<Alert, ServiceBusMessage>(a -> AlertMessages.toMessage(a, sessions))
        .sendAll(alerts, new SenderChannel(sender));
  }

  static final class SendFn extends DoFn<Alert, DeadLetter> {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceBusAlertSink.class);

    private final ServiceBusConnection connection;
    private final Counter sent = TelemetryMetrics.counter("servicebus_alerts_sent");
    private final Counter failed = TelemetryMetrics.counter("servicebus_alerts_failed");
    private final Counter batches = TelemetryMetrics.counter("servicebus_batches_sent");

    private transient ServiceBusSenderClient sender;
    private transient List<Alert> buffer;
    private transient Map<Alert, Instant> timestamps;
    private transient Map<Alert, BoundedWindow> windows;

    SendFn(ServiceBusConnection connection) {
      this.connection = connection;
    }

    @Setup
    public void setup() {
      sender = connection.createSender();
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>();
      timestamps = new IdentityHashMap<>();
      windows = new IdentityHashMap<>();
    }

    @ProcessElement
    public void process(@Element Alert alert, @Timestamp Instant timestamp, BoundedWindow window) {
      buffer.add(alert);
      timestamps.put(alert, timestamp);
      windows.put(alert, window);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      if (buffer.isEmpty()) {
        return;
      }
      MessageBatcher.Result<Alert> result = send(sender, buffer, connection.sessions());
      sent.inc(result.sent());
      batches.inc(result.batches());
      for (MessageBatcher.Failure<Alert> f : result.failures()) {
        failed.inc();
        Alert a = f.item();
        LOG.error(
            "Service Bus queue {}: could not send alert {} ({}): {}",
            connection.queue(),
            a.getId(),
            a.getState(),
            f.reason());
        context.output(deadLetter(a, f.reason()), timestamps.get(a), windows.get(a));
      }
      buffer.clear();
      timestamps.clear();
      windows.clear();
    }

    @Teardown
    public void teardown() {
      if (sender != null) {
        sender.close();
        sender = null;
      }
    }

    private DeadLetter deadLetter(Alert a, String reason) {
      return DeadLetters.sinkFailure(
          "servicebus/" + connection.queue(),
          AlertMessages.messageId(a),
          a.toByteString(),
          a.getTraceparent(),
          Reason.SINK_WRITE_FAILED,
          reason);
    }
  }
}
