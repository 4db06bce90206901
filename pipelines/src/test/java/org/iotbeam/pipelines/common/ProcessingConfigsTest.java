package org.iotbeam.pipelines.common;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.transforms.ProcessingConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ProcessingConfigsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static TelemetryOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(TelemetryOptions.class);
  }

  @Test
  public void everyProblemIsListedAtOnceWithWhatToFix() {
    InvalidOptionsException e =
        assertThrows(
            InvalidOptionsException.class,
            () ->
                ProcessingConfigs.fromOptions(
                    options(
                        "--windowMinutes=0",
                        "--rulesFile=/definitely/not/here.json",
                        "--registryFile=" + tmp.getRoot())));
    assertThat(e.problems().get(0), containsString("--windowMinutes must be a positive number"));
    assertThat(
        e.problems().get(1), containsString("--rulesFile=/definitely/not/here.json: no such file"));
    assertThat(e.problems().get(2), containsString("--registryFile=" + tmp.getRoot()));
    assertEquals(3, e.problems().size());
  }

  @Test
  public void readsRulesAndRegistryFromFilesAndAppliesTheDurations() throws Exception {
    Path rules = tmp.newFile("rules.json").toPath();
    Files.writeString(
        rules,
        "{\"thresholds\": [{\"id\": \"hot\", \"metric\": \"temperature\","
            + " \"operator\": \">\", \"value\": 30}]}");
    ProcessingConfig c =
        ProcessingConfigs.fromOptions(
            options(
                "--rulesFile=" + rules,
                "--windowMinutes=1",
                "--allowedLatenessMinutes=2",
                "--earlyFiringSeconds=10"));
    assertThat(c.rules().thresholds().stream().map(r -> r.id()).toList(), contains("hot"));
    assertEquals(60_000, c.windowSize().getMillis());
    assertEquals(120_000, c.allowedLateness().getMillis());
    assertEquals(10_000, c.earlyFiringDelay().getMillis());
  }

  @Test
  public void aBadRulesFileNamesItselfAndTheMistake() throws Exception {
    Path rules = tmp.newFile("bad.json").toPath();
    Files.writeString(
        rules,
        "{\"thresholds\": [{\"id\": \"x\", \"metric\": \"temp\","
            + " \"operator\": \">\", \"value\": 1}]}");
    InvalidOptionsException e =
        assertThrows(
            InvalidOptionsException.class,
            () -> ProcessingConfigs.fromOptions(options("--rulesFile=" + rules)));
    assertThat(e.getMessage(), containsString(rules.toString()));
    assertThat(e.getMessage(), containsString("unknown metric 'temp'"));
  }
}
