package org.iotbeam.bridge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class BridgeCliTest {
  private String out;
  private String err;

  private int run(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int rc =
        MqttKafkaBridge.execute(
            new PrintStream(o, true, StandardCharsets.UTF_8),
            new PrintStream(e, true, StandardCharsets.UTF_8),
            args);
    out = o.toString(StandardCharsets.UTF_8);
    err = e.toString(StandardCharsets.UTF_8);
    return rc;
  }

  @Test
  public void everyBadFlagIsReportedWithExitCode2() {
    assertEquals(
        2,
        run(
            "--mqtt-url",
            "tcp://x:1",
            "--duration=soon",
            "--statsInterval",
            "-1",
            "--kafkaProperty",
            "novalue"));
    assertTrue(err, err.contains("4 problems with the flags:"));
    assertTrue(err, err.contains("unknown flag --mqtt-url (did you mean --mqttUrl?)"));
    assertTrue(err, err.contains("--duration=soon: not an integer"));
    assertTrue(err, err.contains("--statsInterval must be >= 0 seconds, got -1"));
    assertTrue(err, err.contains("--kafkaProperty 'novalue' must be key=value"));
  }

  @Test
  public void goodFlagsInEitherStyleAreGood() {
    assertEquals(
        err,
        0,
        run(
            "--mqttUrl",
            "tcp://127.0.0.1:1884",
            "--bootstrapServers=k:9092",
            "--topic",
            "t",
            "--duration",
            "8",
            "--dryRun"));
    assertEquals("flags are good: tcp://127.0.0.1:1884 -> k:9092 t\n", out);
  }

  @Test
  public void helpListsTheFlags() {
    assertEquals(0, run("--help"));
    assertTrue(out, out.contains("--bootstrapServers=<String>"));
    assertTrue(out, out.contains("Default: telemetry"));
    assertFalse(out, out.contains("--runner"));
  }
}
