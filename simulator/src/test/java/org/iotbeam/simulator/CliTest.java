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
  private String lastErr;
  private String lastOut;

  private int run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = DeviceSimulator.execute(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
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
    assertBad("Missing required option: '--transport", "--count", "10");
    assertBad("--transport", "--transport", "carrier-pigeon", "--count", "10");
    assertBad("--rate must be > 0", "--transport", "kafka", "--rate", "0", "--count", "10");
    assertBad("--rate must be > 0", "--transport", "kafka", "--rate", "-5", "--count", "10");
    assertBad("give --count and/or --duration", "--transport", "kafka");
    assertBad("--malformed-ratio must be in [0, 1], got 1.5",
        "--transport", "kafka", "--count", "10", "--malformed-ratio", "1.5");
    assertBad("--anomaly-rate must be in [0, 1]",
        "--transport", "kafka", "--count", "10", "--anomaly-rate", "-0.1");
    assertBad("must add up to 1", "--transport", "kafka", "--count", "10",
        "--version-mix", "0.5,0.5,0.5");
    assertBad("needs three fractions", "--transport", "kafka", "--count", "10",
        "--version-mix", "0.5,0.5");
    assertBad("--devices must be between 1", "--transport", "kafka", "--count", "10",
        "--devices", "0");
    assertBad("--duration '10 parsecs' is not a duration", "--transport", "kafka",
        "--duration", "10 parsecs");
    assertBad("--start-time 'yesterday' is not an ISO-8601", "--transport", "kafka",
        "--count", "10", "--start-time", "yesterday");
    assertBad("--site 'x:1'", "--transport", "kafka", "--count", "10", "--site", "x:1");
    assertBad("latitude must be in [-90, 90]", "--transport", "kafka", "--count", "10",
        "--site", "x:95:10");
    assertBad("--transport file needs --output-dir", "--transport", "file", "--count", "10");
    assertBad("--mqtt-url 'localhost'", "--transport", "mqtt", "--count", "10",
        "--mqtt-url", "localhost");
    assertBad("IOTHUB_DEVICE_KEY", "--transport", "mqtt", "--count", "10",
        "--iothub-host", "hub.azure-devices.net");
    assertBad("EVENTHUBS_CONNECTION_STRING", "--transport", "kafka", "--count", "10",
        "--eventhubs");
    assertBad("--device-prefix '!'", "--transport", "kafka", "--count", "10",
        "--device-prefix", "!");
    assertBad("--batch-size must be between 1", "--transport", "kafka", "--count", "10",
        "--batch-size", "0");
  }

  @Test
  public void helpWorks() {
    assertEquals(0, run(Map.of(), "--help"));
    assertThat(lastOut, containsString("--malformed-ratio"));
  }
}
