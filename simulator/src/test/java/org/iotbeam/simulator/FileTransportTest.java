package org.iotbeam.simulator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.iotbeam.proto.InboundMessage;
import org.iotbeam.proto.RawArchiveFormat;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileTransportTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test(timeout = 120_000)
  public void roundTripsThroughRawArchiveFormat() throws Exception {
    Path dir = tmp.newFolder("archive").toPath();
    // 200 devices, 1 reading each per 10 s: 30,000 messages span 25 minutes -> crosses an hour
    SimulatorConfig cfg =
        new SimulatorConfig()
            .devices(200)
            .count(30_000)
            .seed(99)
            .unthrottled(true)
            .interval(java.time.Duration.ofSeconds(10))
            .malformedRatio(0.05)
            .batchSize(500)
            .startTime(Instant.parse("2026-03-01T09:50:00Z"))
            .progressInterval(null);
    List<SimulatedMessage> sent = new ArrayList<>();
    SimulatorSummary s;
    try (FileTransport t = new FileTransport(dir, "sim", 1, 10_000)) {
      s = new Simulator(cfg, t, null).tap(sent::add).run();
    }
    assertEquals(30_000, s.generated());
    assertEquals(30_000, s.delivered());
    assertEquals(s.valid() + s.malformed(), s.generated());

    List<Path> files;
    try (Stream<Path> w = Files.walk(dir)) {
      files =
          w.filter(p -> p.toString().endsWith(RawArchiveFormat.SUFFIX))
              .sorted()
              .collect(Collectors.toList());
    }
    assertThat(files.size(), greaterThan(1));
    List<InboundMessage> read = new ArrayList<>();
    for (Path f : files) {
      String rel = dir.relativize(f).toString();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        long offset = 0;
        for (Iterator<InboundMessage> it = RawArchiveFormat.read(in); it.hasNext(); ) {
          InboundMessage m = it.next();
          assertEquals("file", m.getSource().getSystem());
          assertEquals(rel, m.getSource().getTopic());
          assertEquals(offset++, m.getSource().getOffset());
          read.add(m);
        }
      }
    }
    assertEquals(30_000, read.size());
    read.sort(java.util.Comparator.comparing((InboundMessage m) -> m.getTraceparent()));
    sent.sort(java.util.Comparator.comparing(SimulatedMessage::traceparent));
    for (int i = 0; i < sent.size(); i++) {
      SimulatedMessage want = sent.get(i);
      InboundMessage got = read.get(i);
      assertEquals(want.traceparent(), got.getTraceparent());
      assertArrayEquals(want.payload(), got.getPayload().toByteArray());
      assertEquals(want.deviceId(), got.getKey());
      assertEquals(want.eventTimeMs() + want.ingestDelayMs(), got.getIngestTimeMs());
      assertThat(
          got.getSource().getTopic(),
          containsString(RawArchiveFormat.partitionOf(want.eventTimeMs() + want.ingestDelayMs())));
    }
    assertTrue(Files.isDirectory(dir.resolve("dt=2026-03-01/hour=09")));
    assertTrue(Files.isDirectory(dir.resolve("dt=2026-03-01/hour=10")));
  }

  @Test(timeout = 300_000)
  public void cliWritesAnArchiveFast() throws Exception {
    Path dir = tmp.newFolder("bench").toPath();
    int n = Integer.getInteger("bench.count", 500_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        DeviceSimulator.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err,
            "--transport",
            "file",
            "--outputDir",
            dir.toString(),
            "--unthrottled",
            "--count",
            Integer.toString(n),
            "--devices",
            "1000",
            "--batchSize",
            "1000",
            "--startTime",
            "2026-02-01T00:00:00Z",
            "--seed",
            "5",
            "--progressInterval",
            "2s");
    String summary = out.toString(StandardCharsets.UTF_8);
    System.out.println(summary);
    assertEquals(summary, 0, rc);
    assertThat(summary, containsString("messages: " + n + "\n"));
    assertThat(summary, containsString("delivered: " + n + "\n"));
  }

  /** Same seed and start time => byte-identical archives (through the whole run loop). */
  @Test(timeout = 60_000)
  public void sameSeedGivesIdenticalArchives() throws Exception {
    List<byte[]> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path dir = tmp.newFolder("same-" + i).toPath();
      SimulatorConfig cfg =
          new SimulatorConfig()
              .devices(30)
              .count(5000)
              .unthrottled(true)
              .seed(i < 2 ? 77 : 78)
              .malformedRatio(0.1)
              .anomalyRate(0.01)
              .startTime(Instant.parse("2026-05-05T05:55:00Z"))
              .progressInterval(null);
      try (FileTransport t = new FileTransport(dir)) {
        new Simulator(cfg, t, null).run();
      }
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      try (Stream<Path> w = Files.walk(dir)) {
        for (Path f : w.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
          all.write(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
          all.write(Files.readAllBytes(f));
        }
      }
      runs.add(all.toByteArray());
    }
    assertArrayEquals(runs.get(0), runs.get(1));
    assertTrue(!java.util.Arrays.equals(runs.get(0), runs.get(2)));
  }
}
