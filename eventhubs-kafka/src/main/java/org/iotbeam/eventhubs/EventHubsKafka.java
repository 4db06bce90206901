package org.iotbeam.eventhubs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How a Kafka client reaches Event Hubs' Kafka endpoint: SASL_SSL on port 9093, with the client
 * settings Microsoft recommends, and either SASL PLAIN with the namespace connection string (user
 * {@code $ConnectionString}) or OAUTHBEARER with Microsoft Entra tokens. The pipelines, the
 * simulator and the bridge all connect through these maps, so the settings are decided once.
 *
 * <p>Configuration only: this class opens no connection. The connection string comes from the
 * environment variable {@value #CONNECTION_STRING_ENV}, never from a flag, so it stays out of shell
 * history; it never appears in a log line.
 */
public final class EventHubsKafka {
  public static final String CONNECTION_STRING_ENV = "EVENTHUBS_CONNECTION_STRING";
  public static final int PORT = 9093;

  private static final Pattern ENDPOINT =
      Pattern.compile("Endpoint=sb://([^/;]+)/?", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENTITY =
      Pattern.compile("EntityPath=([^;]+)", Pattern.CASE_INSENSITIVE);

  private EventHubsKafka() {}

  /**
   * SASL_SSL + PLAIN, user {@code $ConnectionString}, password the namespace connection string
   * ({@code Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...}).
   * A null string gives an empty password (the broker refuses it): callers report a missing
   * variable before they connect.
   */
  public static Map<String, Object> connectionString(String connectionString) {
    Map<String, Object> m = saslSsl();
    m.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
    m.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"$ConnectionString\" password=\""
            + jaasEscape(connectionString)
            + "\";");
    return m;
  }

  /** SASL_SSL + OAUTHBEARER; {@code loginCallbackHandler} fetches the Entra tokens. */
  public static Map<String, Object> oauthBearer(String loginCallbackHandler) {
    Map<String, Object> m = saslSsl();
    m.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
    m.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
    m.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, loginCallbackHandler);
    return m;
  }

  /**
   * The connection string from {@code env}, for a command whose {@code flag} asks for Event Hubs.
   *
   * @throws IllegalArgumentException when the variable is unset or blank, saying what to set
   */
  public static String requireConnectionString(
      java.util.function.Function<String, String> env, String flag) {
    String cs = env.apply(CONNECTION_STRING_ENV);
    if (cs == null || cs.isBlank()) {
      throw new IllegalArgumentException(
          flag
              + " needs the environment variable "
              + CONNECTION_STRING_ENV
              + " (Endpoint=sb://NAMESPACE.servicebus.windows.net/;"
              + "SharedAccessKeyName=...;SharedAccessKey=...)");
    }
    return cs;
  }

  /** {@code NAMESPACE.servicebus.windows.net:9093} from a connection string's endpoint. */
  public static String bootstrapServers(String connectionString) {
    Matcher m = ENDPOINT.matcher(connectionString);
    if (!m.find()) {
      throw new IllegalArgumentException(CONNECTION_STRING_ENV + " has no Endpoint=sb://...");
    }
    return m.group(1) + ":" + PORT;
  }

  /** The event hub named in a connection string's {@code EntityPath}, or null. */
  public static String entityPath(String connectionString) {
    Matcher m = ENTITY.matcher(connectionString);
    return m.find() ? m.group(1) : null;
  }

  /** Event Hubs' recommended client settings: it drops connections idle for 240 s. */
  private static Map<String, Object> saslSsl() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    m.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 60000);
    m.put(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, 180000);
    m.put(CommonClientConfigs.CONNECTIONS_MAX_IDLE_MS_CONFIG, 180000);
    return m;
  }

  private static String jaasEscape(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
