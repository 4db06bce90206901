package org.iotbeam.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
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
import org.iotbeam.pipelines.kafka.KafkaCredentialWatch;
import org.iotbeam.pipelines.kafka.KafkaTelemetrySource;
import org.iotbeam.transforms.TelemetryMetrics;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The Event Hubs connection mode against a real broker with an Event-Hubs-like SASL_SSL listener
 * (self-signed certificate made here with the JDK's keytool, PLAIN with user {@code
 * $ConnectionString} and the connection string as password): the pipeline's client settings
 * connect, the Kafka source reads through them, and a wrong connection string is refused.
 */
public class EventHubsSaslSslTest {
  private static final String CONNECTION_STRING =
      "Endpoint=sb://iotbeam-test.servicebus.windows"
          + ".net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=dGVzdC1vbmx5LWtleQ==";
  private static final String STOREPASS = "test-store-pass";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** A broker with an Event-Hubs-like SASL_SSL listener, and the truststore that trusts it. */
  private record SaslSslBroker(LocalKafkaBroker kafka, Path truststore) implements AutoCloseable {
    String external() {
      return kafka.bootstrapServers("EXTERNAL");
    }

    Map<String, Object> trust() {
      return Map.of(
          "ssl.truststore.type",
          "PKCS12",
          "ssl.truststore.location",
          truststore.toString(),
          "ssl.truststore.password",
          STOREPASS);
    }

    @Override
    public void close() {
      kafka.close();
    }
  }

  private SaslSslBroker startSaslSslBroker() throws Exception {
    Path dir = tmp.newFolder("tls").toPath();
    Path keystore = dir.resolve("broker.p12");
    Path cert = dir.resolve("broker.cer");
    Path truststore = dir.resolve("trust.p12");
    TestTls.keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=IP:127.0.0.1,DNS:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STOREPASS,
        "-keypass",
        STOREPASS);
    TestTls.keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STOREPASS,
        "-file",
        cert.toString());
    TestTls.keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        STOREPASS);
    return new SaslSslBroker(
        LocalKafkaBroker.builder()
            .listener("EXTERNAL", "SASL_SSL")
            .property("sasl.enabled.mechanisms", "PLAIN")
            .property("listener.name.external.sasl.enabled.mechanisms", "PLAIN")
            .property(
                "listener.name.external.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "user_$ConnectionString=\""
                    + CONNECTION_STRING
                    + "\";")
            .property("listener.name.external.ssl.keystore.type", "PKCS12")
            .property("listener.name.external.ssl.keystore.location", keystore.toString())
            .property("listener.name.external.ssl.keystore.password", STOREPASS)
            .property("listener.name.external.ssl.key.password", STOREPASS)
            .start(),
        truststore);
  }

  @Test(timeout = 180_000)
  public void connectsWithTheConnectionStringOverSaslSsl() throws Exception {
    try (SaslSslBroker broker = startSaslSslBroker()) {
      LocalKafkaBroker kafka = broker.kafka();
      kafka.createTopic("eh-telemetry", 2);
      String external = broker.external();
      Map<String, Object> trust = broker.trust();
      KafkaClientSettings settings =
          KafkaClientSettings.of(
                  external,
                  EventHubsAuth.CONNECTION_STRING,
                  "eh-group",
                  name ->
                      KafkaClientSettings.CONNECTION_STRING_ENV.equals(name)
                          ? CONNECTION_STRING
                          : null)
              .withExtra(trust);
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
          p.send(
                  new ProducerRecord<>(
                      "eh-telemetry",
                      d.getBytes(),
                      org.iotbeam.proto.Telemetry.newBuilder()
                          .setDeviceId(d)
                          .setTimestampMs(System.currentTimeMillis())
                          .setTemperature(21)
                          .setSchemaVersion(1)
                          .build()
                          .toByteArray()))
              .get(30, TimeUnit.SECONDS);
        }
      }

      // KafkaIO with the pipeline's consumer settings reads them back through the same listener
      // (a bounded read: this checks the SASL settings, not the source's watermark)
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<String> keys =
          p.apply(
                  KafkaIO.<byte[], byte[]>read()
                      .withBootstrapServers(settings.bootstrapServers())
                      .withTopic("eh-telemetry")
                      .withKeyDeserializer(ByteArrayDeserializer.class)
                      .withValueDeserializer(ByteArrayDeserializer.class)
                      .withConsumerConfigUpdates(settings.consumer())
                      .withMaxNumRecords(devices.size())
                      .withMaxReadTime(org.joda.time.Duration.standardSeconds(60)))
              .apply(
                  MapElements.into(TypeDescriptors.strings())
                      .via(r -> KafkaTelemetrySource.toInbound(r).getKey()));
      PAssert.that(keys).containsInAnyOrder(devices);
      p.run().waitUntilFinish();

      // a wrong connection string is refused by the broker
      Map<String, Object> bad =
          new HashMap<>(
              KafkaClientSettings.of(
                      external,
                      EventHubsAuth.CONNECTION_STRING,
                      "eh-group",
                      name -> CONNECTION_STRING.replace("dGVzdC1vbmx5LWtleQ==", "d3Jvbmc="))
                  .withExtra(trust)
                  .consumer());
      bad.put("bootstrap.servers", external);
      bad.put("default.api.timeout.ms", 20000);
      try (KafkaConsumer<byte[], byte[]> c =
          new KafkaConsumer<>(bad, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        assertThrows(
            SaslAuthenticationException.class,
            () -> c.partitionsFor("eh-telemetry", Duration.ofSeconds(20)));
      }
    }
  }

  /**
   * A wrong connection string fails the start of the streaming job, in a process of its own as a
   * user starts it (the connection string in its environment), within the start-up check's bound,
   * with a message naming the variable and what to check; no job runs.
   */
  @Test(timeout = 240_000)
  public void wrongConnectionStringFailsTheStartNamingTheVariable() throws Exception {
    try (SaslSslBroker broker = startSaslSslBroker()) {
      broker.kafka().createTopic("telemetry", 1);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  // the JVM's default trust, which the Kafka client uses when given no truststore
                  "-Djavax.net.ssl.trustStore=" + broker.truststore(),
                  "-Djavax.net.ssl.trustStorePassword=" + STOREPASS,
                  "-Djavax.net.ssl.trustStoreType=PKCS12",
                  StreamingPipeline.class.getName(),
                  "--runner=FlinkRunner",
                  "--flinkMaster=[local]",
                  "--bootstrapServers=" + broker.external(),
                  "--eventHubsAuth=CONNECTION_STRING",
                  "--outputBase=" + tmp.newFolder("out"),
                  "--startupCheckSeconds=20"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment()
          .put(
              KafkaClientSettings.CONNECTION_STRING_ENV,
              CONNECTION_STRING.replace("dGVzdC1vbmx5LWtleQ==", "d3Jvbmc="));
      long t0 = System.nanoTime();
      Process p = pb.start();
      StringBuilder out = new StringBuilder();
      Thread reader =
          new Thread(
              () -> {
                try {
                  out.append(new String(p.getInputStream().readAllBytes()));
                } catch (java.io.IOException e) {
                  out.append(e);
                }
              });
      reader.start();
      boolean ended = p.waitFor(120, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      reader.join(10_000);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      System.err.println("start failed after " + seconds + " s:\n" + out);
      assertTrue("the start did not fail within 120 s", ended);
      assertNotEquals(0, p.exitValue());
      assertThat(
          out.toString(),
          containsString(
              "refused the credentials in environment " + "variable EVENTHUBS_CONNECTION_STRING"));
      assertThat(out.toString(), containsString("SharedAccessKey=..."));
      assertThat(out.toString(), not(containsString("d3Jvbmc="))); // never the secret itself
    }
  }

  /**
   * Once running, a refused credential raises {@code kafka_auth_failures}: the watch's check
   * against the real SASL_SSL listener, with the right and a wrong connection string.
   */
  @Test(timeout = 180_000)
  public void aRefusedCredentialWhileRunningRaisesTheMetric() throws Exception {
    try (SaslSslBroker broker = startSaslSslBroker()) {
      broker.kafka().createTopic("telemetry", 1);
      KafkaClientSettings good =
          KafkaClientSettings.of(
                  broker.external(),
                  EventHubsAuth.CONNECTION_STRING,
                  "g",
                  name -> CONNECTION_STRING)
              .withExtra(broker.trust());
      KafkaClientSettings bad =
          KafkaClientSettings.of(
                  broker.external(),
                  EventHubsAuth.CONNECTION_STRING,
                  "g",
                  name -> CONNECTION_STRING.replace("dGVzdC1vbmx5LWtleQ==", "d3Jvbmc="))
              .withExtra(broker.trust());
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      p.apply(Create.of(1L, 2L))
          .apply(
              "Good",
              ParDo.of(
                  new KafkaCredentialWatch.CheckFn(good, "telemetry", Duration.ofSeconds(20))));
      p.apply("Ticks", Create.of(1L, 2L))
          .apply(
              "Bad",
              ParDo.of(new KafkaCredentialWatch.CheckFn(bad, "telemetry", Duration.ofSeconds(20))));
      PipelineResult result = p.run();
      result.waitUntilFinish();
      assertEquals(0L, authFailures(result, "Good"));
      assertEquals(2L, authFailures(result, "Bad"));
    }
  }

  private static long authFailures(PipelineResult result, String step) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(
                            TelemetryMetrics.NAMESPACE, KafkaCredentialWatch.AUTH_FAILURES))
                    .addStep(step)
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  @Test
  public void missingConnectionStringFailsFastAndSaysWhatToFix() {
    List<String> problems =
        KafkaClientSettings.of(
                "ns.servicebus.windows.net:9093",
                EventHubsAuth.CONNECTION_STRING,
                "g",
                name -> null)
            .problems();
    assertThat(problems.toString(), containsString("EVENTHUBS_CONNECTION_STRING"));
    List<String> oauth =
        KafkaClientSettings.of("10.0.0.1:9092", EventHubsAuth.OAUTHBEARER, "", name -> null)
            .problems();
    assertThat(new ArrayList<>(oauth).toString(), containsString("--consumerGroup"));
    assertThat(oauth.toString(), containsString("servicebus.windows.net"));
  }
}
