package org.iotbeam.pipelines.sinks;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.iotbeam.domain.validation.Reason;
import org.iotbeam.domain.validation.Stage;
import org.iotbeam.pipelines.observability.LogContext;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.transforms.Coders;
import org.iotbeam.transforms.DeadLetters;
import org.iotbeam.transforms.TelemetryMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each alert as JSON to an HTTP webhook, with exponential backoff over a bounded number of
 * attempts. An alert that still cannot be delivered becomes a {@link DeadLetter} (stage {@link
 * Stage#SINK}, reason {@link Reason#WEBHOOK_DELIVERY_FAILED}, the alert's JSON as payload): the
 * pipeline never fails because a webhook is down. Client errors other than 408/429 are not retried.
 *
 * <p>The request carries the alert id in {@code Idempotency-Key}: retries and replays of the same
 * alert event can be recognised by the receiver.
 */
public class AlertWebhookSink extends PTransform<PCollection<Alert>, PCollection<DeadLetter>> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWebhookSink.class);

  private final String url;
  private final int maxAttempts;
  private final long initialBackoffMs;
  private final long timeoutMs;

  public AlertWebhookSink(String url, int maxAttempts, long initialBackoffMs, long timeoutMs) {
    URI u = URI.create(url);
    if (u.getScheme() == null
        || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException("--alertWebhookUrl=" + url + " is not an http(s) URL");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("webhook attempts must be >= 1, was " + maxAttempts);
    }
    this.url = url;
    this.maxAttempts = maxAttempts;
    this.initialBackoffMs = initialBackoffMs;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public PCollection<DeadLetter> expand(PCollection<Alert> alerts) {
    return alerts
        .apply("PostAlerts", ParDo.of(new PostFn(url, maxAttempts, initialBackoffMs, timeoutMs)))
        .setCoder(Coders.DEAD_LETTER);
  }

  /** Scheme, host and path only: a webhook URL's query may hold a secret token. */
  public static String redacted(String url) {
    URI u = URI.create(url);
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() > 0 ? ":" + u.getPort() : "")
        + (u.getPath() == null ? "" : u.getPath());
  }

  /** How one POST went: delivered, or why not and whether another attempt could help. */
  public record Attempt(boolean delivered, boolean retryable, String error) {}

  /**
   * One POST of {@code json} with {@code Idempotency-Key}; 2xx is delivered, client errors other
   * than 408/429 are not worth retrying. Also the notifications' webhook channel.
   */
  public static Attempt postOnce(
      HttpClient client, String url, String json, String idempotencyKey, long timeoutMs)
      throws InterruptedException {
    try {
      HttpResponse<String> rsp =
          client.send(
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofMillis(timeoutMs))
                  .header("Content-Type", "application/json")
                  .header("Idempotency-Key", idempotencyKey)
                  .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      int code = rsp.statusCode();
      if (code >= 200 && code < 300) {
        return new Attempt(true, false, "");
      }
      return new Attempt(
          false, code < 400 || code >= 500 || code == 408 || code == 429, "HTTP " + code);
    } catch (IOException e) {
      return new Attempt(false, true, e.toString());
    }
  }

  static class PostFn extends DoFn<Alert, DeadLetter> {
    private final String url;
    private final int maxAttempts;
    private final long initialBackoffMs;
    private final long timeoutMs;
    private final Counter delivered = TelemetryMetrics.counter("webhook_delivered");
    private final Counter retries = TelemetryMetrics.counter("webhook_retries");
    private final Counter failed = TelemetryMetrics.counter("webhook_failed");
    private transient HttpClient client;

    PostFn(String url, int maxAttempts, long initialBackoffMs, long timeoutMs) {
      this.url = url;
      this.maxAttempts = maxAttempts;
      this.initialBackoffMs = initialBackoffMs;
      this.timeoutMs = timeoutMs;
    }

    @Setup
    public void setup() {
      client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMs)).build();
    }

    @ProcessElement
    public void process(@Element Alert alert, OutputReceiver<DeadLetter> out)
        throws InterruptedException {
      String json = ProtoJson.toJson(alert);
      String lastError = "";
      long backoff = initialBackoffMs;
      for (int attempt = 1; attempt <= maxAttempts; attempt++) {
        Attempt a = postOnce(client, url, json, alert.getId(), timeoutMs);
        if (a.delivered()) {
          delivered.inc();
          return;
        }
        lastError = a.error();
        if (!a.retryable()) {
          break; // the receiver refuses this alert: retrying will not help
        }
        if (attempt < maxAttempts) {
          retries.inc();
          Thread.sleep(backoff);
          backoff = Math.min(backoff * 2, 30_000);
        }
      }
      failed.inc();
      try (LogContext ignored =
          LogContext.forMessage(alert.getDeviceId(), alert.getTraceparent())) {
        LOG.warn(
            "alert {} not delivered to the webhook {}: {}",
            alert.getId(),
            redacted(url),
            lastError);
      }
      out.output(
          DeadLetters.sinkFailure(
              "webhook/" + redacted(url),
              alert.getId() + ":" + alert.getState(),
              ByteString.copyFromUtf8(json),
              alert.getTraceparent(),
              Reason.WEBHOOK_DELIVERY_FAILED,
              "after " + maxAttempts + " attempt(s): " + lastError));
    }
  }
}
