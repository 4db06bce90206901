package org.iotbeam.pipelines.observability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.Test;
import org.slf4j.MDC;

/**
 * The shipped log4j2.xml (the one the runnable jar uses; tests otherwise log through
 * log4j2-test.xml) writes one JSON object per line with level, component, logger, message and the
 * MDC keys of a per-message line, the thread name cut to 40 characters (a Flink task thread is
 * named after its whole operator chain); LOG_FORMAT / iotbeam.log.format=text switches to text.
 */
public class JsonLogTest {
  private static final String W3C = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  /** 40 characters of the thread name and "..." when it was cut. */
  private static final int MAX_THREAD_CHARS = 43;

  /** What Flink names a task thread: the operator chain and the subtask (here 380 chars). */
  private static final String FLINK_TASK_THREAD =
      "Source: ReadTelemetry/KafkaIO.Read/"
          + "KafkaIO.Read.ReadFromKafkaViaSDF/ParDo(GenerateKafkaSourceDescriptor) -> "
          + "ReadTelemetry/ToInboundMessage/ParMultiDo(ToInbound) -> Process/Parse/ParMultiDo(Parse) "
          + "-> Process/Enrich/ParMultiDo(Enrich) -> Process/Deduplicate/KeyByDevice/AddKeys/Map/"
          + "ParMultiDo(Anonymous) -> RawArchive/IngestTime/ParMultiDo(Restamp) -> "
          + "RawArchive/Window/Window.Assign (1/2)#0";

  @Test
  public void oneJsonObjectPerLineWithDeviceAndTrace() throws Exception {
    String out = logOnce(null);
    String[] lines = out.strip().split("\n");
    assertEquals(out, 2, lines.length);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertEquals("WARN", first.path("level").asText());
    assertEquals("pipeline", first.path("component").asText());
    assertEquals("org.iotbeam.test.Sink", first.path("logger").asText());
    assertEquals("dead letter x: bad bytes", first.path("message").asText());
    assertEquals("dev-7", first.path("deviceId").asText());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", first.path("traceId").asText());
    assertEquals("00f067aa0ba902b7", first.path("spanId").asText());
    assertTrue(first.path("timestamp").asText().endsWith("Z"));
    // outside the try block the keys are gone again
    JsonNode second = new ObjectMapper().readTree(lines[1]);
    assertEquals("INFO", second.path("level").asText());
    assertFalse(second.toString(), second.has("deviceId") || second.has("traceId"));
    assertEquals("java.lang.IllegalStateException", second.path("error.type").asText());
    // a Flink task thread is named after its whole operator chain: the line keeps its head
    String thread = first.path("thread").asText();
    assertTrue(thread, thread.startsWith("Source: ReadTelemetry"));
    assertTrue(thread.length() + " chars: " + thread, thread.length() <= MAX_THREAD_CHARS);
  }

  @Test
  public void textForHumans() throws Exception {
    String out = logOnce("text");
    assertTrue(
        out,
        out.contains("WARN")
            && out.contains("device=dev-7")
            && out.contains("trace=4bf92f3577b34da6a3ce929d0e0e4736")
            && out.contains("dead letter x: bad bytes"));
    assertFalse(out, out.startsWith("{"));
    String line = out.lines().findFirst().orElseThrow();
    String thread = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
    assertTrue(thread, thread.startsWith("Source: ReadTelemetry"));
    assertTrue(thread.length() + " chars: " + thread, thread.length() <= MAX_THREAD_CHARS);
  }

  private static String logOnce(String format) throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    if (format != null) {
      System.setProperty("iotbeam.log.format", format);
    }
    LoggerContext ctx =
        new LoggerContext(
            "json-log-test", null, JsonLogTest.class.getResource("/log4j2.xml").toURI());
    String threadName = Thread.currentThread().getName();
    try {
      System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
      ctx.start();
      Logger log = ctx.getLogger("org.iotbeam.test.Sink");
      Thread.currentThread().setName(FLINK_TASK_THREAD);
      try (LogContext ignored = LogContext.forMessage("dev-7", W3C)) {
        log.warn("dead letter {}: {}", "x", "bad bytes");
      }
      assertEquals(null, MDC.get(LogContext.DEVICE_ID));
      log.info("after", new IllegalStateException("boom"));
    } finally {
      Thread.currentThread().setName(threadName);
      ctx.stop();
      System.setErr(err);
      System.clearProperty("iotbeam.log.format");
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
