package org.iotbeam.pipelines.kafka;

/** How the Kafka clients authenticate: a plain local broker, or the Event Hubs Kafka endpoint. */
public enum EventHubsAuth {
  /** No authentication, PLAINTEXT: a local or test broker. */
  NONE,
  /**
   * SASL_SSL + PLAIN, user {@code $ConnectionString}, password = the namespace connection string,
   * read from the environment variable {@value KafkaClientSettings#CONNECTION_STRING_ENV}.
   */
  CONNECTION_STRING,
  /** SASL_SSL + OAUTHBEARER with Microsoft Entra tokens from DefaultAzureCredential. */
  OAUTHBEARER
}
