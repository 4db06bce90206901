package org.iotbeam.pipelines.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PDone;
import org.iotbeam.transforms.TelemetryMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches, while the job runs, that the Kafka (Event Hubs) credentials still work: every {@code
 * period} a worker checks them as {@link KafkaPreflight} does before the start. A refusal (a
 * rotated key, a revoked role) counts in {@code kafka_auth_failures} and logs an ERROR naming the
 * credential and what to check; the dashboard alerts on the counter's increase. Without it Beam's
 * Kafka consumer only logs "terminated during authentication", and the job reads nothing while it
 * looks healthy.
 */
public class KafkaCredentialWatch extends PTransform<PBegin, PDone> {
  /** Counted here and by the Kafka sinks when a write is refused for its credentials. */
  public static final String AUTH_FAILURES = "kafka_auth_failures";

  private final KafkaClientSettings settings;
  private final String topic;
  private final Duration period;

  public KafkaCredentialWatch(KafkaClientSettings settings, String topic, Duration period) {
    this.settings = settings;
    this.topic = topic;
    this.period = period;
  }

  @Override
  public PDone expand(PBegin input) {
    input
        .apply(
            "Every" + period.toSeconds() + "s",
            GenerateSequence.from(0).withRate(1, org.joda.time.Duration.millis(period.toMillis())))
        .apply(
            "CheckCredentials",
            ParDo.of(
                new CheckFn(
                    settings,
                    topic,
                    period.compareTo(Duration.ofSeconds(30)) < 0
                        ? period
                        : Duration.ofSeconds(30))));
    return PDone.in(input.getPipeline());
  }

  /** One check per element; what it found goes to the counter and the log. */
  public static class CheckFn extends DoFn<Long, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaCredentialWatch.class);
    private final KafkaClientSettings settings;
    private final String topic;
    private final Duration timeout;
    private final Counter authFailures = TelemetryMetrics.counter(AUTH_FAILURES);

    public CheckFn(KafkaClientSettings settings, String topic, Duration timeout) {
      this.settings = settings;
      this.topic = topic;
      this.timeout = timeout;
    }

    @ProcessElement
    public void process() {
      KafkaPreflight.Result r = KafkaPreflight.check(settings, topic, List.of(), timeout);
      if (r.credentialsRefused()) {
        authFailures.inc();
        LOG.error(
            "Kafka credentials refused while the job runs, it reads and writes nothing: " + "{}",
            r.problems().get(0));
      } else if (!r.problems().isEmpty()) {
        LOG.warn("Kafka check: {}", String.join("; ", r.problems()));
      }
    }
  }
}
