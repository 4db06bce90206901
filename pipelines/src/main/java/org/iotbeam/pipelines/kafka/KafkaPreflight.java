package org.iotbeam.pipelines.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a job starts, that the Kafka (Event Hubs) credentials work: an admin client with
 * the pipeline's own client settings describes the topics within a bounded time. Without this a
 * wrong connection string leaves the job RUNNING, its consumer logging "terminated during
 * authentication" for ever: no data, no failure, no alert. Each problem names the credential (the
 * environment variable or identity) and what to check.
 */
public final class KafkaPreflight {
  private KafkaPreflight() {}

  /** What a check found: every problem, and whether the broker refused the credentials. */
  public record Result(List<String> problems, boolean credentialsRefused) {}

  /**
   * Every problem reaching {@code inputTopic} and {@code outputTopics} with {@code settings}, found
   * within {@code timeout}; empty when they are usable. A missing output topic is a problem only on
   * Event Hubs, which creates no topic on first write.
   */
  public static List<String> problems(
      KafkaClientSettings settings,
      String inputTopic,
      List<String> outputTopics,
      Duration timeout) {
    return check(settings, inputTopic, outputTopics, timeout).problems();
  }

  /** {@link #problems}, and whether they include refused credentials. */
  public static Result check(
      KafkaClientSettings settings,
      String inputTopic,
      List<String> outputTopics,
      Duration timeout) {
    Map<String, Object> props = new HashMap<>(settings.common());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    int ms = (int) Math.max(1000, timeout.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(ms, 30_000));
    // one attempt at the broker per backoff, not a storm of reconnects while we wait
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
    LinkedHashSet<String> topics = new LinkedHashSet<>();
    topics.add(inputTopic);
    topics.addAll(outputTopics);
    List<String> problems = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(props)) {
      Map<String, KafkaFuture<TopicDescription>> described =
          admin.describeTopics(topics).topicNameValues();
      for (String topic : topics) {
        try {
          described.get(topic).get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          if (cause instanceof AuthenticationException) {
            problems.add(authenticationProblem(settings, cause));
            return new Result(problems, true); // the same answer for every topic
          } else if (cause instanceof AuthorizationException) {
            problems.add(
                "Kafka at "
                    + settings.bootstrapServers()
                    + " authenticated the "
                    + credential(settings.auth())
                    + " but refused access to topic '"
                    + topic
                    + "' ("
                    + cause.getMessage()
                    + "): give it the rights to read the input and write the "
                    + "outputs (Event Hubs: a policy with Listen and Send, or the Data Receiver and "
                    + "Data Sender roles)");
          } else if (cause instanceof UnknownTopicOrPartitionException) {
            if (topic.equals(inputTopic) || settings.auth() != EventHubsAuth.NONE) {
              problems.add(
                  "topic (event hub) '"
                      + topic
                      + "' does not exist on "
                      + settings.bootstrapServers()
                      + ": create it (terraform/modules/eventhubs) or "
                      + "fix the topic flag");
            }
          } else {
            problems.add(
                "Kafka at "
                    + settings.bootstrapServers()
                    + " could not describe topic '"
                    + topic
                    + "': "
                    + cause);
          }
        } catch (TimeoutException e) {
          problems.add(noAnswer(settings, timeout));
          return new Result(problems, false);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted while checking Kafka at " + settings.bootstrapServers());
    }
    return new Result(problems, false);
  }

  private static String authenticationProblem(KafkaClientSettings settings, Throwable cause) {
    String broker = "Kafka at " + settings.bootstrapServers();
    if (cause instanceof SslAuthenticationException) {
      return broker
          + ": the TLS handshake failed ("
          + cause.getMessage()
          + "): check that "
          + "--bootstrapServers names the namespace's host and that this JVM trusts its "
          + "certificate";
    }
    String said = " (broker said: " + cause.getMessage() + ")";
    return switch (settings.auth()) {
      case CONNECTION_STRING ->
          broker
              + " refused the credentials in environment variable "
              + KafkaClientSettings.CONNECTION_STRING_ENV
              + said
              + ": check that it holds the "
              + "connection string of this namespace (Endpoint=sb://<namespace>.servicebus."
              + "windows.net/;SharedAccessKeyName=...;SharedAccessKey=...), that the key was not "
              + "rotated or regenerated, and that its policy has the Listen and Send claims";
      case OAUTHBEARER ->
          broker
              + " refused the Microsoft Entra token of "
              + "DefaultAzureCredential"
              + said
              + ": check which identity it signs in as "
              + "(AZURE_CLIENT_ID, AZURE_TENANT_ID, workload or managed identity) and that it holds "
              + "Azure Event Hubs Data Receiver and Data Sender on the namespace";
      case NONE ->
          broker
              + " requires authentication"
              + said
              + ": for Event Hubs use "
              + "--eventHubsAuth=CONNECTION_STRING (environment variable "
              + KafkaClientSettings.CONNECTION_STRING_ENV
              + ") or --eventHubsAuth=OAUTHBEARER";
    };
  }

  private static String noAnswer(KafkaClientSettings settings, Duration timeout) {
    return "no answer from Kafka at "
        + settings.bootstrapServers()
        + " within "
        + timeout.toSeconds()
        + " s: check --bootstrapServers, that the broker runs and that "
        + "the network lets this machine reach it"
        + (settings.auth() == EventHubsAuth.NONE
            ? ""
            : " (Event Hubs: outbound port 9093; a "
                + credential(settings.auth())
                + " the broker drops may also look like this)");
  }

  private static String credential(EventHubsAuth auth) {
    return switch (auth) {
      case CONNECTION_STRING ->
          "connection string (" + KafkaClientSettings.CONNECTION_STRING_ENV + ")";
      case OAUTHBEARER -> "Entra identity (DefaultAzureCredential)";
      case NONE -> "client (no authentication)";
    };
  }

  private static long remainingMs(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
