package org.iotbeam.eventhubs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.Test;

public class EventHubsKafkaTest {
  private static final String CS =
      "Endpoint=sb://ns1.servicebus.windows.net/;"
          + "SharedAccessKeyName=send;SharedAccessKey=a\"b\\c=;EntityPath=telemetry";

  /** The login module entry as Kafka's own JAAS parser reads the settings. */
  private static AppConfigurationEntry jaas(Map<String, Object> settings) {
    Map<String, Object> parsed = new HashMap<>(settings);
    parsed.put("sasl.jaas.config", new Password((String) settings.get("sasl.jaas.config")));
    return JaasContext.loadClientContext(parsed).configurationEntries().get(0);
  }

  @Test
  public void kafkaReadsTheConnectionStringBackAsThePassword() {
    Map<String, Object> m = EventHubsKafka.connectionString(CS);
    assertEquals("SASL_SSL", m.get("security.protocol"));
    assertEquals("PLAIN", m.get("sasl.mechanism"));
    assertEquals(60000, m.get("request.timeout.ms"));
    // Kafka's own JAAS parser: quotes and backslashes in the key must survive the escaping
    AppConfigurationEntry entry = jaas(m);
    assertEquals("$ConnectionString", entry.getOptions().get("username"));
    assertEquals(CS, entry.getOptions().get("password"));
  }

  @Test
  public void oauthBearerNamesTheCallbackHandler() {
    Map<String, Object> m = EventHubsKafka.oauthBearer("x.Handler");
    assertEquals("OAUTHBEARER", m.get("sasl.mechanism"));
    assertEquals("x.Handler", m.get("sasl.login.callback.handler.class"));
    assertEquals(
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule",
        jaas(m).getLoginModuleName());
  }

  @Test
  public void endpointAndEntityComeFromTheConnectionString() {
    assertEquals("ns1.servicebus.windows.net:9093", EventHubsKafka.bootstrapServers(CS));
    assertEquals("telemetry", EventHubsKafka.entityPath(CS));
    assertNull(EventHubsKafka.entityPath("Endpoint=sb://ns1.servicebus.windows.net/"));
    assertThrows(
        IllegalArgumentException.class, () -> EventHubsKafka.bootstrapServers("SharedAccessKey=x"));
  }

  @Test
  public void aMissingVariableSaysWhatToSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventHubsKafka.requireConnectionString(name -> " ", "--eventhubs"));
    assertTrue(
        e.getMessage(),
        e.getMessage()
            .startsWith("--eventhubs needs the environment variable EVENTHUBS_CONNECTION_STRING"));
    assertEquals(
        CS,
        EventHubsKafka.requireConnectionString(
            name -> name.equals("EVENTHUBS_CONNECTION_STRING") ? CS : null, "--eventhubs"));
  }
}
