package org.iotbeam.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.iotbeam.local.LocalKafkaBroker;
import org.iotbeam.pipelines.kafka.EventHubsAuth;
import org.iotbeam.pipelines.kafka.KafkaClientSettings;
import org.iotbeam.pipelines.kafka.KafkaTelemetrySource;
import org.iotbeam.proto.InboundMessage;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Event Hubs connection mode against a real broker with an Event-Hubs-like SASL_SSL listener
 * (self-signed certificate made here with the JDK's keytool, PLAIN with user
 * {@code $ConnectionString} and the connection string as password): the pipeline's client
 * settings connect, the Kafka source reads through them, and a wrong connection string is refused.
 */
public class EventHubsSaslSslTest {
  private static final String CONNECTION_STRING = "Endpoint=sb://iotbeam-test.servicebus.windows"
      + ".net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdC1vbmx5LWtleQ==";
  private static final String STOREPASS = "test-store-pass";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 180_000)
  public void connectsWithTheConnectionStringOverSaslSsl() throws Exception {
    Path dir = tmp.newFolder("tls").toPath();
    Path keystore = dir.resolve("broker.p12");
    Path cert = dir.resolve("broker.cer");
    Path truststore = dir.resolve("trust.p12");
    TestTls.keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STOREPASS,
        "-keypass", STOREPASS);
    TestTls.keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(),
        "-storepass", STOREPASS, "-file", cert.toString());
    TestTls.keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(),
        "-storetype", "PKCS12", "-keystore", truststore.toString(), "-storepass", STOREPASS);

    try (LocalKafkaBroker kafka = LocalKafkaBroker.builder()
        .listener("EXTERNAL", "SASL_SSL")
        .property("sasl.enabled.mechanisms", "PLAIN")
        .property("listener.name.external.sasl.enabled.mechanisms", "PLAIN")
        .property("listener.name.external.plain.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "user_$ConnectionString=\"" + CONNECTION_STRING + "\";")
        .property("listener.name.external.ssl.keystore.type", "PKCS12")
        .property("listener.name.external.ssl.keystore.location", keystore.toString())
        .property("listener.name.external.ssl.keystore.password", STOREPASS)
        .property("listener.name.external.ssl.key.password", STOREPASS)
        .start()) {
      kafka.createTopic("eh-telemetry", 2);
      String external = kafka.bootstrapServers("EXTERNAL");
      Map<String, Object> trust = Map.of("ssl.truststore.type", "PKCS12",
          "ssl.truststore.location", truststore.toString(), "ssl.truststore.password", STOREPASS);
      KafkaClientSettings settings = KafkaClientSettings.of(external,
          EventHubsAuth.CONNECTION_STRING, "eh-group",
          name -> KafkaClientSettings.CONNECTION_STRING_ENV.equals(name) ? CONNECTION_STRING
              : null).withExtra(trust);
      assertEquals(List.of(), settings.problems());
      assertThat(settings.toString(), not(containsString("SharedAccessKey")));
      assertEquals("SASL_SSL", settings.consumer().get("security.protocol"));
      assertEquals(false, settings.consumer().get("enable.auto.commit"));
      assertEquals(60000, settings.consumer().get("request.timeout.ms"));
      assertEquals(180000, settings.consumer().get("metadata.max.age.ms"));
      assertEquals(180000, settings.consumer().get("connections.max.idle.ms"));
      assertEquals(30000, settings.consumer().get("session.timeout.ms"));

      // produce through the SASL_SSL listener with the pipeline's producer settings
      Properties pp = new Properties();
      pp.putAll(settings.producer());
      pp.put("bootstrap.servers", external);
      List<String> devices = List.of("eh-dev-1", "eh-dev-2", "eh-dev-3");
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (String d : devices) {
          p.send(new ProducerRecord<>("eh-telemetry", d.getBytes(), org.iotbeam.proto.Telemetry
              .newBuilder().setDeviceId(d).setTimestampMs(System.currentTimeMillis())
              .setTemperature(21).setSchemaVersion(1).build().toByteArray()))
              .get(30, TimeUnit.SECONDS);
        }
      }

      // the pipeline's Kafka source reads them back through the same listener
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<String> keys = p
          .apply(new KafkaTelemetrySource(settings, "eh-telemetry",
              org.joda.time.Duration.standardSeconds(60), 7 * 24 * 3_600_000L, 300_000L,
              devices.size(), org.joda.time.Duration.standardSeconds(60)))
          .apply(MapElements.into(TypeDescriptors.strings()).via(InboundMessage::getKey));
      PAssert.that(keys).containsInAnyOrder(devices);
      p.run().waitUntilFinish();

      // a wrong connection string is refused by the broker
      Map<String, Object> bad = new HashMap<>(KafkaClientSettings.of(external,
          EventHubsAuth.CONNECTION_STRING, "eh-group",
          name -> CONNECTION_STRING.replace("dGVzdC1vbmx5LWtleQ==", "d3Jvbmc="))
          .withExtra(trust).consumer());
      bad.put("bootstrap.servers", external);
      bad.put("default.api.timeout.ms", 20000);
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(bad,
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        assertThrows(SaslAuthenticationException.class,
            () -> c.partitionsFor("eh-telemetry", Duration.ofSeconds(20)));
      }
    }
  }

  @Test
  public void missingConnectionStringFailsFastAndSaysWhatToFix() {
    List<String> problems = KafkaClientSettings.of("ns.servicebus.windows.net:9093",
        EventHubsAuth.CONNECTION_STRING, "g", name -> null).problems();
    assertThat(problems.toString(), containsString("EVENTHUBS_CONNECTION_STRING"));
    List<String> oauth = KafkaClientSettings.of("10.0.0.1:9092", EventHubsAuth.OAUTHBEARER, "",
        name -> null).problems();
    assertThat(new ArrayList<>(oauth).toString(), containsString("--consumerGroup"));
    assertThat(oauth.toString(), containsString("servicebus.windows.net"));
  }
}
