package org.iotbeam.pipelines.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.protobuf.ProtoCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.domain.notify.NotificationRoutes;
import org.iotbeam.domain.notify.SeriesNotifier;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.Delivery;
import org.iotbeam.proto.Notice;
import org.iotbeam.proto.OutgoingMessage;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.TelemetryMetrics;

/**
 * Tells people about alerts: e-mail, SMS, webhooks and the log, as the routes say, without storms.
 * Returns the messages that could not be delivered, as dead letters.
 *
 * <pre>
 * alerts -> by series (device|rule) : DecideNotices  (one notice per alert id and state;
 *                                                      flapping told once, then when settled)
 *        -> Route                   : one delivery per matching route's channel and recipient
 *        -> by recipient            : RateLimitPerRecipient (beyond the limit: a digest later)
 *        -> by channel              : Send&lt;channel&gt; (ledger, retries, circuit breaker)
 *                                      -> dead letters (NOTIFICATION_FAILED)
 * </pre>
 *
 * Each channel sends in its own step (after a reshuffle, so in its own task on Flink), and a
 * destination that keeps failing is rested ({@link CircuitBreaker}): a failing channel produces
 * dead letters without holding up the others. docs/notifications.md describes the routes file and
 * the channels.
 */
public class Notify extends PTransform<PCollection<Alert>, PCollection<DeadLetter>> {
  static final ProtoCoder<Notice> NOTICE = ProtoCoder.of(Notice.class);
  static final ProtoCoder<Delivery> DELIVERY = ProtoCoder.of(Delivery.class);
  static final ProtoCoder<OutgoingMessage> MESSAGE = ProtoCoder.of(OutgoingMessage.class);

  private final NotifyConfig config;

  public Notify(NotifyConfig config) {
    this.config = config;
  }

  /**
   * Applies the step when {@code --notificationRoutesFile} is given: its dead letters, or empty
   * when notifications are off. The options were checked before ({@link NotifyConfig#problems}).
   */
  public static Optional<PCollection<DeadLetter>> applyTo(
      PCollection<Alert> alerts, NotifyOptions options) {
    return NotifyConfig.fromOptions(options, System::getenv)
        .map(c -> alerts.apply("Notify", new Notify(c)));
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Alert> alerts) {
    NotificationRoutes routes = config.routes();
    PCollection<Notice> notices =
        alerts
            .apply("AlertTimeline", Window.<Alert>into(new GlobalWindows()))
            .apply(
                "BySeries",
                WithKeys.of(SeriesNotifier::seriesKey).withKeyType(TypeDescriptors.strings()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.ALERT))
            .apply("DecideNotices", ParDo.of(new DecideNoticesFn(routes.flapping())))
            .setCoder(NOTICE);

    PCollection<OutgoingMessage> messages =
        notices
            .apply("Route", ParDo.of(new RouteFn(routes)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), DELIVERY))
            .apply("RateLimitPerRecipient", ParDo.of(new LimitPerRecipientFn(routes.rateLimit())))
            .setCoder(MESSAGE);

    int kinds = ChannelKind.values().length;
    PCollectionList<OutgoingMessage> byChannel =
        messages.apply(
            "ByChannel",
            Partition.of(
                kinds,
                (OutgoingMessage m, int n) ->
                    ChannelKind.fromId(m.getChannel()).orElseThrow().ordinal()));
    List<PCollection<DeadLetter>> failures = new ArrayList<>();
    for (ChannelKind kind : routes.channels()) {
      String name = capitalized(kind.id());
      failures.add(
          byChannel
              .get(kind.ordinal())
              // its own task on a runner that fuses steps (Flink): a slow channel's sends do not
              // run in the thread that feeds the other channels
              .apply("Isolate" + name, Reshuffle.viaRandomKey())
              .apply("Send" + name, ParDo.of(new SendFn(kind, config)))
              .setCoder(Coders.DEAD_LETTER));
    }
    return PCollectionList.of(failures)
        .apply("Undelivered", Flatten.pCollections())
        .setCoder(Coders.DEAD_LETTER);
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** A notice to every channel and recipient the routes give it, keyed by recipient. */
  static class RouteFn extends DoFn<Notice, KV<String, Delivery>> {
    private final NotificationRoutes routes;
    private final Counter unrouted = TelemetryMetrics.counter(NotifyMetrics.UNROUTED);

    RouteFn(NotificationRoutes routes) {
      this.routes = routes;
    }

    @ProcessElement
    public void process(@Element Notice n, OutputReceiver<KV<String, Delivery>> out) {
      List<Delivery> deliveries = routes.deliveries(n);
      if (deliveries.isEmpty()) {
        unrouted.inc();
      }
      for (Delivery d : deliveries) {
        out.output(KV.of(LimitPerRecipientFn.key(d), d));
      }
    }
  }
}
