package org.iotbeam.runners.faults;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.iotbeam.pipelines.sinks.ProtoJson;
import org.iotbeam.proto.Alert;
import org.iotbeam.proto.AlertState;
import org.iotbeam.proto.DeadLetter;
import org.iotbeam.proto.WindowAggregate;
import org.junit.Test;

/** What the fault suite counts as a difference between two runs, and what it reports apart. */
public class CompareRunsTest {
  private static final String CLOCK = "fault-suite-clock";

  private static String aggregate(String device, long count, long pane) {
    return ProtoJson.toJson(
        WindowAggregate.newBuilder()
            .setId(device + "|temperature|0")
            .setDeviceId(device)
            .setCount(count)
            .setMean(20.5)
            .setPaneIndex(pane)
            .build());
  }

  private static String alert(String device, AlertState state) {
    return ProtoJson.toJson(
        Alert.newBuilder()
            .setId(device + "|hot|1000")
            .setDeviceId(device)
            .setState(state)
            .setValue(51)
            .build());
  }

  private static String deadLetter(String id, String reason) {
    return ProtoJson.toJson(
        DeadLetter.newBuilder().setId(id).setReason(reason).setStage("parse").build());
  }

  /** A run's outputs; {@code keyed}: as a Kafka topic holds them (key = id). */
  private static RunOutputs run(boolean keyed, String... extraAggregates) {
    RunOutputs o = new RunOutputs(CLOCK);
    o.addAggregate(keyed ? "dev-1|temperature|0" : null, aggregate("dev-1", 4, 0));
    o.addAggregate(keyed ? "dev-2|temperature|0" : null, aggregate("dev-2", 3, 0));
    o.addAlert(keyed ? "dev-1|hot|1000" : null, alert("dev-1", AlertState.RAISED));
    o.addAlert(keyed ? "dev-1|hot|1000" : null, alert("dev-1", AlertState.CLEARED));
    o.addDeadLetter(
        keyed ? "kafka:telemetry:0:7" : null,
        deadLetter("kafka:telemetry:0:7", "MALFORMED_PROTOBUF"));
    for (String a : extraAggregates) {
      o.addAggregate(null, a);
    }
    return o;
  }

  private static final PrintStream NOWHERE =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  /** Between the runs' topics (each run's files hold what its topics hold). */
  private static int differences(RunOutputs ref, RunOutputs got) {
    return CompareRuns.compareTopics(ref, got, ref, got, NOWHERE);
  }

  @Test
  public void equalRunsHaveNoDifferenceWhateverTheClockAndIdenticalReplaysDid() {
    RunOutputs got = run(true, aggregate(CLOCK, 2, 0), aggregate("dev-1", 4, 0));
    got.addAlert("dev-1|hot|1000", alert("dev-1", AlertState.RAISED));
    assertEquals(0, differences(run(true), got));
    assertEquals(2, got.replayedCopies);
    assertEquals(1, got.clockRecords);
  }

  @Test
  public void aMissingRecordIsADifference() {
    RunOutputs got = new RunOutputs(CLOCK);
    got.addAggregate(null, aggregate("dev-1", 4, 0));
    got.addAlert(null, alert("dev-1", AlertState.RAISED));
    // aggregate dev-2, the CLEARED event, the dead letter
    assertEquals(3, differences(run(false), got));
    assertEquals(3, CompareRuns.compareFiles(run(false), got, NOWHERE));
  }

  @Test
  public void aTopicThatLacksWhatTheFilesHoldIsADifference() {
    RunOutputs topics = run(true);
    RunOutputs files = run(false, aggregate("dev-3", 1, 0));
    assertEquals(1, CompareRuns.compareTopics(topics, topics, run(false), files, NOWHERE));
  }

  @Test
  public void aReplayThatIsNotIdenticalAnEmptyPaneAndAWrongKeyAreDifferences() {
    RunOutputs got = run(true, aggregate("dev-1", 5, 0), aggregate("dev-2", 0, 1));
    got.addDeadLetter("another-key", deadLetter("kafka:telemetry:0:7", "MALFORMED_PROTOBUF"));
    // dev-1 pane 0 replayed with other content, an empty aggregate, a record keyed wrongly
    assertEquals(3, differences(run(true), got));
  }

  @Test
  public void aLaterPaneIsTheFinalAggregate() {
    RunOutputs got = run(false, aggregate("dev-2", 3, 1));
    assertEquals(3, got.aggregates.get("dev-2|temperature|0").getCount());
    assertEquals(1, got.aggregates.get("dev-2|temperature|0").getPaneIndex());
    assertEquals(0, differences(run(false), got));
  }
}
