package org.iotbeam.pipelines.notify;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.pipelines.azure.cosmos.Sleeper;
import org.iotbeam.pipelines.observability.LogContext;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the messages of one channel through a {@link Sender}; a message that cannot be sent becomes
 * a dead letter (stage {@code sink}, reason {@code NOTIFICATION_FAILED}, destination {@code
 * notify/<channel>}, the message as JSON for the payload, so it can be sent again).
 */
class SendFn extends DoFn<OutgoingMessage, DeadLetter> {
  private static final Logger LOG = LoggerFactory.getLogger(SendFn.class);
  private final ChannelKind kind;
  private final NotifyConfig config;
  private final Counter sent = TelemetryMetrics.counter(NotifyMetrics.SENT);
  private final Counter failed = TelemetryMetrics.counter(NotifyMetrics.FAILED);
  private final Counter retries = TelemetryMetrics.counter(NotifyMetrics.RETRIES);
  private final Counter alreadySent = TelemetryMetrics.counter(NotifyMetrics.ALREADY_SENT);
  private transient Sender sender;

  SendFn(ChannelKind kind, NotifyConfig config) {
    this.kind = kind;
    this.config = config;
  }

  @Setup
  public void setup() throws IOException {
    SendLedger ledger =
        config.ledgerDir().isEmpty()
            ? SendLedger.NONE
            : new DirectoryLedger(Path.of(config.ledgerDir()));
    sender =
        new Sender(
            m -> Channels.destination(kind, config, m),
            Channels.open(kind, config),
            ledger,
            config.maxAttempts(),
            config.initialBackoffMs(),
            Sleeper.REAL,
            System::currentTimeMillis);
  }

  @ProcessElement
  public void process(@Element OutgoingMessage m, OutputReceiver<DeadLetter> out)
      throws InterruptedException {
    Sender.Result r = sender.send(m);
    if (r.attempts() > 1) {
      retries.inc(r.attempts() - 1L);
    }
    switch (r.status()) {
      case SENT -> sent.inc();
      case ALREADY_SENT -> alreadySent.inc();
      case FAILED -> {
        failed.inc();
        Alert a = m.getNotices(0).getAlert();
        try (LogContext ignored = LogContext.forMessage(a.getDeviceId(), a.getTraceparent())) {
          LOG.warn("notification {} over {} not delivered: {}", m.getKey(), kind.id(), r.detail());
        }
        out.output(
            DeadLetters.sinkFailure(
                "notify/" + kind.id(),
                m.getKey(),
                ByteString.copyFromUtf8(ProtoJson.toJson(m)),
                a.getTraceparent(),
                Reason.NOTIFICATION_FAILED,
                r.detail()));
      }
      default -> throw new AssertionError(r.status());
    }
  }

  @Teardown
  public void teardown() {
    if (sender != null) {
      sender.close();
    }
  }
}
