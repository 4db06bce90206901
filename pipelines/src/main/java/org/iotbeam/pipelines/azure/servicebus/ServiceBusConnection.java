package org.iotbeam.pipelines.azure.servicebus;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.Serializable;
import java.time.Duration;

/**
 * Where alerts go and how to authenticate; serializable, the sender is built on the worker.
 *
 * <p>Auth: a connection string in env {@value #CONNECTION_STRING_ENV}, read on the worker (so the
 * secret never travels in the pipeline), else DefaultAzureCredential against the fully qualified
 * namespace (production: the Terraform namespace has local auth disabled, the job's managed
 * identity has the Data Sender role). Retries: the client's {@link AmqpRetryOptions}, exponential.
 */
public final class ServiceBusConnection implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String CONNECTION_STRING_ENV = "SERVICEBUS_CONNECTION_STRING";
  public static final String DEFAULT_QUEUE = "alerts";

  private final String namespace; // may be empty when the connection string is used
  private final String queue;
  private final boolean sessions;
  private final int maxRetries;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final Duration tryTimeout;

  public ServiceBusConnection(
      String namespace,
      String queue,
      boolean sessions,
      int maxRetries,
      Duration retryDelay,
      Duration maxRetryDelay,
      Duration tryTimeout) {
    this.namespace = namespace == null ? "" : namespace.trim();
    this.queue = queue;
    this.sessions = sessions;
    this.maxRetries = maxRetries;
    this.retryDelay = retryDelay;
    this.maxRetryDelay = maxRetryDelay;
    this.tryTimeout = tryTimeout;
  }

  public static ServiceBusConnection of(String namespace, String queue) {
    return new ServiceBusConnection(
        namespace,
        queue,
        false,
        5,
        Duration.ofMillis(800),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60));
  }

  public static ServiceBusConnection fromOptions(ServiceBusSinkOptions o) {
    return new ServiceBusConnection(
        o.getServiceBusNamespace(),
        o.getServiceBusQueue(),
        o.getServiceBusSessions(),
        o.getServiceBusMaxRetries(),
        Duration.ofMillis(800),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60));
  }

  /** True when a namespace is given or this process sees a connection string. */
  public static boolean isConfigured(String namespace) {
    String cs = System.getenv(CONNECTION_STRING_ENV);
    return (namespace != null && !namespace.isBlank()) || (cs != null && !cs.isBlank());
  }

  /** {@code NAME} -> {@code NAME.servicebus.windows.net}; a name with a dot is kept. */
  public static String fullyQualified(String namespace) {
    return namespace.contains(".") ? namespace : namespace + ".servicebus.windows.net";
  }

  public String queue() {
    return queue;
  }

  public boolean sessions() {
    return sessions;
  }

  public AmqpRetryOptions retryOptions() {
    return new AmqpRetryOptions()
        .setMode(AmqpRetryMode.EXPONENTIAL)
        .setMaxRetries(maxRetries)
        .setDelay(retryDelay)
        .setMaxDelay(maxRetryDelay)
        .setTryTimeout(tryTimeout);
  }

  /** A builder authenticated as described above, with the retry options set. */
  public ServiceBusClientBuilder clientBuilder() {
    ServiceBusClientBuilder builder = new ServiceBusClientBuilder().retryOptions(retryOptions());
    String cs = System.getenv(CONNECTION_STRING_ENV);
    if (cs != null && !cs.isBlank()) {
      return builder.connectionString(cs);
    }
    if (namespace.isEmpty()) {
      throw new IllegalStateException(
          "Service Bus: neither a namespace nor env " + CONNECTION_STRING_ENV + " is set");
    }
    return builder.credential(
        fullyQualified(namespace), new DefaultAzureCredentialBuilder().build());
  }

  /** A new sender to the queue; the caller closes it. */
  public ServiceBusSenderClient createSender() {
    return clientBuilder().sender().queueName(queue).buildClient();
  }

  @Override
  public String toString() {
    return "ServiceBusConnection{"
        + (namespace.isEmpty() ? "(connection string)" : namespace)
        + ", queue="
        + queue
        + (sessions ? ", sessions" : "")
        + "}";
  }
}
