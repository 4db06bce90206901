package org.iotbeam.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;
import org.junit.Test;

public class FlagsTest {
  public enum Mode {
    fast,
    slow
  }

  public interface Opts extends PipelineOptions {
    @Description("how many")
    @Default.Integer(3)
    int getCount();

    void setCount(int v);

    @Description("per second")
    @Default.Double(1.5)
    double getRatePerSecond();

    void setRatePerSecond(double v);

    @Description("the mode")
    @Validation.Required
    Mode getMode();

    void setMode(Mode v);

    @Description("quiet")
    boolean isQuiet();

    void setQuiet(boolean v);

    @Description("repeatable")
    List<String> getTag();

    void setTag(List<String> v);

    @Description("a name")
    String getName();

    void setName(String v);
  }

  private static final Flags.Checks<Opts> CHECKS =
      (o, problems) -> {
        if (o.getCount() < 1) {
          problems.add("--count must be >= 1, got " + o.getCount());
        }
        if (o.getRatePerSecond() <= 0) {
          problems.add("--ratePerSecond must be > 0");
        }
      };

  private static List<String> problems(String... args) {
    try {
      Flags.parse(Opts.class, CHECKS, args);
      fail("expected problems with " + List.of(args));
      return null;
    } catch (Flags.BadFlags e) {
      return e.problems();
    }
  }

  @Test
  public void bothFlagStylesParse() {
    Opts o =
        Flags.parse(
            Opts.class,
            CHECKS,
            "--count",
            "7",
            "--ratePerSecond=2.5",
            "--mode",
            "slow",
            "--quiet",
            "--tag",
            "a",
            "--tag=b,c",
            "--name",
            "-x");
    assertEquals(7, o.getCount());
    assertEquals(2.5, o.getRatePerSecond(), 0);
    assertEquals(Mode.slow, o.getMode());
    assertTrue(o.isQuiet());
    assertEquals(List.of("a", "b", "c"), o.getTag());
    assertEquals("-x", o.getName());
    Opts d = Flags.parse(Opts.class, CHECKS, "--mode=fast", "--quiet=false");
    assertEquals(3, d.getCount());
    assertFalse(d.isQuiet());
  }

  @Test
  public void everyProblemAtOnce() {
    List<String> p =
        problems(
            "--bogus",
            "--count=x",
            "--window-minutes",
            "5",
            "--ratePerSecond",
            "0",
            "stray",
            "--name");
    assertEquals(p.toString(), 7, p.size());
    assertEquals("unknown flag --bogus", p.get(0));
    assertTrue(p.toString(), p.contains("--count=x: not an integer"));
    assertTrue(p.toString(), p.contains("unknown flag --window-minutes"));
    assertTrue(p.toString(), p.contains("unexpected argument 'stray' (flags are --name=value)"));
    assertTrue(p.toString(), p.stream().anyMatch(s -> s.startsWith("--name needs a value")));
    assertTrue(p.toString(), p.contains("--mode is required"));
    // the check of --count would be about its default: not reported; --ratePerSecond's is
    assertTrue(p.toString(), p.contains("--ratePerSecond must be > 0"));
    assertFalse(p.toString(), p.stream().anyMatch(s -> s.startsWith("--count must")));
  }

  @Test
  public void ownChecksAndBadValuesTogether() {
    List<String> p =
        problems(
            "--mode=medium",
            "--count=0",
            "--ratePerSecond=-1",
            "--quiet=maybe",
            "--name=a",
            "--name=b");
    assertEquals(
        p.toString(),
        List.of(
                "--count must be >= 1, got 0",
                "--mode=medium: not one of fast | slow",
                "--name is given 2 times ([a, b]); give it once",
                "--quiet=maybe: not true or false",
                "--ratePerSecond must be > 0")
            .stream()
            .sorted()
            .toList(),
        p.stream().sorted().toList());
  }

  @Test
  public void kebabAndMisspeltFlagsGetASuggestion() {
    assertTrue(
        problems("--mode=fast", "--rate-per-second=2")
            .contains("unknown flag --rate-per-second (did you mean --ratePerSecond?)"));
    assertTrue(
        problems("--mode=fast", "--cuont=2")
            .contains("unknown flag --cuont (did you mean --count?)"));
  }

  @Test
  public void beamsOwnOptionsAreNotAToolsFlags() {
    assertTrue(
        problems("--mode=fast", "--runner=DirectRunner")
            .get(0)
            .startsWith("unknown flag --runner"));
  }

  @Test
  public void runPrintsHelpOrEveryProblemWithExitCode2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(
        0, Flags.run("t", "about t", Opts.class, CHECKS, new String[] {"--help"}, o, e, x -> 9));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help, help.contains("--mode=<fast | slow>   (required)"));
    assertTrue(help, help.contains("--count=<integer>\n      how many\n      Default: 3"));
    assertFalse(help, help.contains("--runner"));
    assertEquals(
        2,
        Flags.run(
            "t", "", Opts.class, CHECKS, new String[] {"--bogus", "--count=x"}, o, e, x -> 9));
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text, text.contains("t: 3 problems with the flags:\n  unknown flag --bogus\n"));
    assertTrue(text, text.contains("  --count=x: not an integer\n"));
    assertTrue(text, text.contains("  --mode is required\n"));
    assertEquals(
        9, Flags.run("t", "", Opts.class, CHECKS, new String[] {"--mode", "fast"}, o, e, x -> 9));
  }
}
