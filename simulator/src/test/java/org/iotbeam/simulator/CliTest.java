package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

public class CliTest {
  /** Beam's options factory scans the class path once per JVM: not what "fails fast" times. */
  @org.junit.BeforeClass
  public static void warmUp() {
    DeviceSimulator.execute(
        Map.of(),
        new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()),
        "--dryRun");
  }

  private String lastErr;
  private String lastOut;

  private int run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        DeviceSimulator.execute(
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    lastOut = out.toString(StandardCharsets.UTF_8);
    lastErr = err.toString(StandardCharsets.UTF_8);
    return rc;
  }

  private void assertBad(String expected, String... args) {
    assertBad(Map.of(), expected, args);
  }

  private void assertBad(Map<String, String> env, String expected, String... args) {
    long t0 = System.nanoTime();
    int rc = run(env, args);
    assertEquals("exit code for " + String.join(" ", args) + "\n" + lastErr, 2, rc);
    assertThat(lastErr, containsString(expected));
    assertThat("fails fast", (System.nanoTime() - t0) / 1e9 < 5, org.hamcrest.Matchers.is(true));
  }

  @Test
  public void badFlagsFailFastWithWhatToFix() {
    assertBad("--transport is required", "--count", "10");
    assertBad(
        "--transport=carrier-pigeon: not one of mqtt | kafka | file",
        "--transport",
        "carrier-pigeon",
        "--count",
        "10");
    assertBad("--rate must be > 0", "--transport", "kafka", "--rate", "0", "--count", "10");
    assertBad("--rate must be > 0", "--transport=kafka", "--rate=-5", "--count=10");
    assertBad("give --count and/or --duration", "--transport", "kafka");
    assertBad(
        "--malformedRatio must be in [0, 1], got 1.5",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--malformedRatio",
        "1.5");
    assertBad(
        "--anomalyRate must be in [0, 1]",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--anomalyRate",
        "-0.1");
    assertBad(
        "must add up to 1", "--transport", "kafka", "--count", "10", "--versionMix", "0.5,0.5,0.5");
    assertBad(
        "needs three fractions",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--versionMix",
        "0.5,0.5");
    assertBad(
        "--devices must be between 1", "--transport", "kafka", "--count", "10", "--devices", "0");
    assertBad(
        "--duration '10 parsecs' is not a duration",
        "--transport",
        "kafka",
        "--duration",
        "10 parsecs");
    assertBad(
        "--startTime 'yesterday' is not an ISO-8601",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--startTime",
        "yesterday");
    assertBad("--site 'x:1'", "--transport", "kafka", "--count", "10", "--site", "x:1");
    assertBad(
        "latitude must be in [-90, 90]",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--site",
        "x:95:10");
    assertBad("--transport=file needs --outputDir", "--transport", "file", "--count", "10");
    assertBad(
        "--mqttUrl 'localhost'", "--transport", "mqtt", "--count", "10", "--mqttUrl", "localhost");
    assertBad(
        "IOTHUB_DEVICE_KEY",
        "--transport",
        "mqtt",
        "--count",
        "10",
        "--iothubHost",
        "hub.azure-devices.net");
    assertBad(
        "EVENTHUBS_CONNECTION_STRING", "--transport", "kafka", "--count", "10", "--eventhubs");
    assertBad("--devicePrefix '!'", "--transport", "kafka", "--count", "10", "--devicePrefix", "!");
    assertBad(
        "--batchSize must be between 1",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--batchSize",
        "0");
    assertBad("--count=ten: not an integer", "--transport", "kafka", "--count", "ten");
    assertBad(
        "unknown flag --malformed-ratio (did you mean --malformedRatio?)",
        "--transport",
        "kafka",
        "--count",
        "10",
        "--malformed-ratio",
        "0.1");
  }

  @Test
  public void everyProblemIsReportedAtOnce() {
    assertEquals(2, run(Map.of(), "--bogus", "--rate=x", "--devices", "0", "--site", "x:1"));
    for (String expected :
        new String[] {
          "6 problems with the flags:",
          "unknown flag --bogus",
          "--rate=x: not a number",
          "--transport is required",
          "--devices must be between 1",
          "--site 'x:1'",
          "give --count and/or --duration"
        }) {
      assertThat(lastErr, containsString(expected));
    }
    // --rate did not parse: no second message about its default
    assertThat(lastErr, org.hamcrest.Matchers.not(containsString("--rate must")));
  }

  @Test
  public void goodFlagsInEitherStyleAreGood() {
    assertEquals(
        lastErr,
        0,
        run(
            Map.of(),
            "--transport",
            "kafka",
            "--count",
            "10",
            "--rate=50",
            "--site",
            "a:1:2",
            "--site=b:3:4",
            "--kafkaProperty",
            "linger.ms=5",
            "--dryRun"));
    assertThat(
        lastOut, containsString("flags are good: --transport=kafka, 1000 devices, 50.0 msg/s"));
  }

  @Test
  public void helpWorks() {
    assertEquals(0, run(Map.of(), "--help"));
    assertThat(lastOut, containsString("--malformedRatio=<number>"));
    assertThat(lastOut, containsString("--transport=<mqtt | kafka | file>   (required)"));
  }
}
