package org.iotbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.eventhubs.EventHubsKafka;
import org.junit.Test;

public class KafkaProducerFlagsTest {
  private static final String CS =
      "Endpoint=sb://ns1.servicebus.windows.net/;"
          + "SharedAccessKeyName=send;SharedAccessKey=k=;EntityPath=hub1";
  private static final Function<String, String> ENV =
      Map.of(EventHubsKafka.CONNECTION_STRING_ENV, CS)::get;
  private static final Function<String, String> NO_ENV = name -> null;

  private static KafkaProducerFlags flags(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(KafkaProducerFlags.class);
  }

  @Test
  public void withoutEventhubsTheFlagsAreTakenAsTheyAre() {
    KafkaProducerFlags.Producer p =
        KafkaProducerFlags.producer(flags("--kafkaProperty=acks=1"), null, ENV);
    assertEquals(KafkaProducerFlags.LOCAL_KAFKA, p.bootstrapServers);
    assertNull(p.topic);
    assertEquals(Map.of("acks", "1"), p.properties);
    // nor is the environment asked
    p = KafkaProducerFlags.producer(flags("--bootstrapServers=k1:9092"), "t", NO_ENV);
    assertEquals("k1:9092", p.bootstrapServers);
    assertEquals("t", p.topic);
    assertTrue(p.properties.isEmpty());
  }

  @Test
  public void eventhubsWithTheDefaultBrokerTakesTheNamespaceAndEntityPath() {
    KafkaProducerFlags.Producer p = KafkaProducerFlags.producer(flags("--eventhubs"), null, ENV);
    assertEquals("ns1.servicebus.windows.net:9093", p.bootstrapServers);
    assertEquals("hub1", p.topic);
    assertEquals(EventHubsKafka.connectionString(CS), p.properties);
  }

  @Test
  public void eventhubsKeepsAnExplicitBrokerAndTopic() {
    KafkaProducerFlags.Producer p =
        KafkaProducerFlags.producer(
            flags("--eventhubs", "--bootstrapServers=other.servicebus.windows.net:9093"),
            "telemetry",
            ENV);
    assertEquals("other.servicebus.windows.net:9093", p.bootstrapServers);
    assertEquals("telemetry", p.topic);
    assertEquals("SASL_SSL", p.properties.get("security.protocol"));
  }

  @Test
  public void kafkaPropertiesComeLastAndMalformedOnesAreLeftOut() {
    KafkaProducerFlags.Producer p =
        KafkaProducerFlags.producer(
            flags("--eventhubs", "--kafkaProperty=request.timeout.ms=5000", "--kafkaProperty=bad"),
            null,
            ENV);
    assertEquals("5000", p.properties.get("request.timeout.ms"));
    assertFalse(p.properties.containsKey("bad"));
    assertEquals("PLAIN", p.properties.get("sasl.mechanism"));
  }

  @Test
  public void eventhubsWithoutTheVariableSaysWhatToSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KafkaProducerFlags.producer(flags("--eventhubs"), null, NO_ENV));
    assertTrue(
        e.getMessage(), e.getMessage().contains("--eventhubs needs the environment variable"));
  }
}
