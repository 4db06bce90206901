package org.iotbeam.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.iotbeam.cli.Flags;
import org.iotbeam.pipelines.StreamingPipeline;
import org.iotbeam.pipelines.azure.cosmos.CosmosQueryCommand;
import org.iotbeam.pipelines.batch.BackfillPipeline;
import org.iotbeam.runners.demo.DemoOptions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every command line the user-facing docs show parses, with the command's own flag check: the
 * streaming and backfill flags through the pipelines' option parsing and checks ({@code
 * StreamingPipeline.create}, {@code ProcessingConfigs}, {@code ArchiveRange}) after the one flag
 * parser's check ({@code Flags.checkPipeline}: the flag style, unknown flags, values), the demo's
 * with {@code DemoOptions.parse}, the simulator and the bridge with their {@code --dryRun}, the
 * query's with its flag checks, the jar's {@code --help}, the scripts' sub-commands and variables,
 * Maven's modules, test classes and main classes, Terraform's variables. Commands of tools that do
 * not run here (az, docker, kubectl) are listed as not checked; a command nothing here knows how to
 * check fails the test.
 */
public class DocumentedCommandsTest {
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Set<String> NOT_RUNNABLE_HERE =
      Set.of("az", "docker", "kubectl", "kubelogin", "curl");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  /** README.md, runners/README.md, simulator/README.md, terraform/README.md, docs/*.md, ... */
  static List<Path> docs() throws IOException {
    List<Path> docs =
        new ArrayList<>(
            Stream.of(
                    "README.md",
                    "runners/README.md",
                    "simulator/README.md",
                    "terraform/README.md",
                    "runners/docker/README.md")
                .map(ROOT::resolve)
                .collect(Collectors.toList()));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  public void everyDocumentedCommandLineParses() throws Exception {
    List<String> checked = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Path doc : docs()) {
      for (DocumentedCommands.Line line : DocumentedCommands.extract(doc, ROOT)) {
        String outcome = outcome(line);
        (outcome.startsWith("not checked")
                ? notChecked
                : outcome.startsWith("ok") ? checked : problems)
            .add(line.where() + "  " + line.text() + "\n      " + outcome);
      }
    }
    System.out.println(
        "checked "
            + checked.size()
            + " documented command lines:\n  "
            + String.join("\n  ", checked)
            + "\nnot checked:\n  "
            + String.join("\n  ", notChecked));
    assertEquals("documented command lines that do not parse", List.of(), problems);
    assertTrue(
        "the docs show at least 20 runnable command lines, found " + checked.size(),
        checked.size() >= 20);
  }

  @Test
  public void selfTestWrongFlagsAndUnknownCommandsAreReported() throws Exception {
    Path md = tmp.newFile("bad.md").toPath();
    Files.writeString(
        md,
        String.join(
            "\n",
            "Text with an inline `java -jar x.jar streaming --nope` that is not a code block.",
            "",
            "    JAR=runners/target/iotbeam-runners-0.1.0-SNAPSHOT-shaded.jar",
            "    java -jar $JAR streaming --rawOutput=azfs://a/raw --bootstrapServers=x:1",
            "    java -jar $JAR streaming --outputBase=/tmp/o --fileWindowMinutes=7",
            "    ./demo.sh --window-minutes 5",
            "    runners/scripts/flink-cluster.sh restart",
            "    mvn -B -pl nosuch test -Dtest=NoSuchTest",
            "    cd terraform/environments/dev",
            "    terraform apply -var deploy_the_job=false",
            "    frobnicate --all",
            "",
            "```",
            "mvn -B -q -pl simulator exec:java -Dexec.mainClass=org.iotbeam.simulator.DeviceSimulator \\",
            "  -Dexec.args=\"--transport kafka --rate -5 --count 10\"",
            "```",
            "",
            "    ./iotbeam simulate --transport=kafka --count=10 --batch-size 5",
            "    ./iotbeam bridge --mqttUrl tcp://127.0.0.1:1883 --duration=10 --topic t",
            "    ./iotbeam query --endpoint https://a.documents.azure.com:443/ --device d --history x",
            "    ./iotbeam streaming --outputBase /tmp/o --windowMinutes 5",
            ""));
    List<String> outcomes = new ArrayList<>();
    for (DocumentedCommands.Line line : DocumentedCommands.extract(md, ROOT)) {
      outcomes.add(line.line() + " " + outcome(line));
    }
    assertEquals(outcomes.toString(), 14, outcomes.size());
    String[] expected = {
      "3 ok",
      "4 streaming: ",
      "5 streaming: ",
      "6 demo: ",
      "7 flink-cluster.sh: no sub-command 'restart'",
      "8 mvn: no module nosuch",
      "9 ok",
      "10 terraform: -var deploy_the_job",
      "11 no check for 'frobnicate'",
      "14 org.iotbeam.simulator.DeviceSimulator: ",
      "18 org.iotbeam.simulator.DeviceSimulator: ",
      "19 ok (MqttKafkaBridge --dryRun)",
      "20 query: ",
      "21 ok (StreamingPipeline"
    };
    for (int i = 0; i < expected.length; i++) {
      assertTrue(outcomes.get(i), outcomes.get(i).startsWith(expected[i]));
    }
    assertTrue(outcomes.get(1), outcomes.get(1).contains("rawOutput"));
    assertTrue(outcomes.get(2), outcomes.get(2).contains("--fileWindowMinutes must divide 60"));
    assertTrue(
        outcomes.get(3),
        outcomes.get(3).contains("unknown flag --window-minutes (did you mean --windowMinutes?)"));
    assertTrue(
        outcomes.get(10),
        outcomes.get(10).contains("unknown flag --batch-size (did you mean --batchSize?)"));
    assertTrue(outcomes.get(12), outcomes.get(12).contains("--history=x: not an integer"));
  }

  /** "ok ...", "not checked: why", or the problem. */
  static String outcome(DocumentedCommands.Line line) {
    List<String> w = new ArrayList<>(line.words());
    // "[--flag value]" in a usage line: the optional part, taken
    w.replaceAll(s -> s.replaceAll("^\\[|\\]$", ""));
    try {
      return check(line, w);
    } catch (RuntimeException | AssertionError e) {
      return e.getMessage();
    } catch (Exception e) {
      return e.toString();
    }
  }

  static String check(DocumentedCommands.Line line, List<String> w) throws Exception {
    String cmd = w.get(0);
    List<String> args = w.subList(1, w.size());
    if (cmd.matches("[A-Z_][A-Z0-9_]*=.*")) {
      int firstCommand = 0;
      while (firstCommand < w.size() && w.get(firstCommand).matches("[A-Z_][A-Z0-9_]*=.*")) {
        firstCommand++;
      }
      if (firstCommand == w.size()) {
        return "ok (variables)";
      }
      Map<String, String> env = new java.util.LinkedHashMap<>(line.env());
      for (String a : w.subList(0, firstCommand)) {
        env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
      return checkScript(line, w.get(firstCommand), w.subList(firstCommand + 1, w.size()), env);
    }
    if (NOT_RUNNABLE_HERE.contains(cmd)) {
      return "not checked: " + cmd + " does not run here";
    }
    switch (cmd) {
      case "java":
        return checkJar(args);
      case "./demo.sh":
        return checkDemo(args);
      case "./iotbeam":
        return Files.isExecutable(ROOT.resolve("iotbeam"))
            ? checkCommand(args)
            : "./iotbeam: not executable";
      case "mvn":
        return checkMaven(line, args);
      case "node":
        return checkNode(line, args);
      case "bash":
        return checkScript(line, args.get(0), args.subList(1, args.size()), line.env());
      case "npm":
        return exists(line.cwd(), valueOf(args, "--prefix", ".") + "/package-lock.json", "npm");
      case "terraform":
        return checkTerraform(line, args);
      case "cd":
        return Files.isDirectory(line.cwd().resolve(args.get(0)))
            ? "ok (directory)"
            : "cd: no directory " + args.get(0);
      case "cp":
        return exists(line.cwd(), args.get(0), "cp");
      case "export":
        return "ok (variables)";
      case "...":
        return checkMain(
            args.get(0).contains(".") ? args.get(0) : "org.iotbeam.simulator." + args.get(0),
            args.subList(1, args.size()),
            line.env());
      default:
        if (cmd.startsWith("runners/scripts/")) {
          return checkScript(line, cmd, args, line.env());
        }
        return "no check for '" + cmd + "' (add one to DocumentedCommandsTest)";
    }
  }

  /** java -jar JAR [--help | streaming ... | backfill ... | demo ...]. */
  static String checkJar(List<String> args) throws Exception {
    if (args.size() < 2 || !args.get(0).equals("-jar")) {
      return "java: only java -jar <the shaded jar> is documented";
    }
    if (!args.get(1).endsWith("-shaded.jar")) {
      return "java -jar " + args.get(1) + ": not the runnable jar (runners/target/*-shaded.jar)";
    }
    return checkCommand(args.subList(2, args.size()));
  }

  /** {@code <command> [flags]} of Main (the jar, ./iotbeam): each command's own flag check. */
  static String checkCommand(List<String> rest) throws Exception {
    if (rest.isEmpty() || rest.get(0).equals("--help")) {
      Process p = javaMain("org.iotbeam.runners.Main", List.of("--help"), Map.of());
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0 && out.contains("commands:")
          ? "ok (Main --help)"
          : "Main --help: exit " + p.exitValue() + ": " + out;
    }
    List<String> flags = rest.subList(1, rest.size());
    if (flags.contains("--help")) {
      Process p = javaMain("org.iotbeam.runners.Main", rest, Map.of());
      return p.waitFor() == 0
          ? "ok (" + rest.get(0) + " --help)"
          : rest.get(0) + " --help: exit " + p.exitValue();
    }
    switch (rest.get(0)) {
      case "streaming":
        return checkStreaming(flags);
      case "backfill":
        return checkBackfill(flags);
      case "demo":
        return checkDemo(flags);
      case "simulate":
        return checkMain("org.iotbeam.simulator.DeviceSimulator", flags, Map.of());
      case "bridge":
        return checkMain("org.iotbeam.bridge.MqttKafkaBridge", flags, Map.of());
      case "query":
        return checkQuery(flags);
      default:
        return "no command '" + rest.get(0) + "' in Main.COMMANDS " + Main.COMMANDS.keySet();
    }
  }

  /**
   * The one flag parser's check (as Main makes it), then the streaming pipeline's own parsing and
   * checks (StreamingPipeline.create builds it).
   */
  static String checkStreaming(List<String> flags) {
    PipelineOptionsFactory.register(StreamingPipeline.Options.class);
    try {
      String[] beam =
          Flags.checkPipeline(StreamingPipeline.Options.class, flags.toArray(new String[0]));
      StreamingPipeline.create(
          PipelineOptionsFactory.fromArgs(beam)
              .withValidation()
              .as(StreamingPipeline.Options.class));
      return "ok (StreamingPipeline options and checks)";
    } catch (RuntimeException e) {
      return "streaming: " + e.getMessage();
    }
  }

  /** The backfill's option parsing and the checks it makes before reading the archive. */
  static String checkBackfill(List<String> flags) throws Exception {
    PipelineOptionsFactory.register(BackfillPipeline.Options.class);
    try {
      flags =
          List.of(
              Flags.checkPipeline(BackfillPipeline.Options.class, flags.toArray(new String[0])));
    } catch (Flags.BadFlags e) {
      return "backfill: " + e.getMessage();
    }
    Process p = javaMain(BackfillFlagCheck.class.getName(), flags, Map.of());
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.exitValue() == 0
        ? "ok (BackfillPipeline options, processing config, range)"
        : err.strip();
  }

  static String checkDemo(List<String> flags) {
    try {
      DemoOptions.parse(flags.toArray(new String[0]));
      return "ok (DemoOptions.parse)";
    } catch (IllegalArgumentException e) {
      return "demo: " + e.getMessage();
    }
  }

  /** The query's flags and checks (it reads a Cosmos DB account: not run). */
  static String checkQuery(List<String> flags) {
    try {
      Flags.parse(CosmosQueryCommand.QueryOptions.class, null, flags.toArray(new String[0]));
      return "ok (query flags)";
    } catch (Flags.BadFlags e) {
      return "query: " + e.getMessage();
    }
  }

  /** A main class with its own --dryRun (the simulator, the bridge), in its own JVM. */
  static String checkMain(String mainClass, List<String> args, Map<String, String> env)
      throws Exception {
    List<String> withDryRun = new ArrayList<>(args);
    withDryRun.add("--dryRun");
    Process p = javaMain(mainClass, withDryRun, env);
    String out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0
        ? "ok (" + mainClass.replaceAll(".*\\.", "") + " --dryRun)"
        : mainClass + ": exit " + p.exitValue() + ": " + out.strip();
  }

  static Process javaMain(String mainClass, List<String> args, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(mainClass + " did not finish in 120 s");
    }
    return p;
  }

  /** Modules (-pl), pom files (-f), test classes (-Dtest), main classes and their flags. */
  static String checkMaven(DocumentedCommands.Line line, List<String> args) throws Exception {
    List<String> modules = new ArrayList<>();
    String mainClass = null;
    List<String> mainArgs = List.of();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-pl")) {
        for (String m : args.get(++i).split(",")) {
          if (!Files.isRegularFile(line.cwd().resolve(m).resolve("pom.xml"))) {
            return "mvn: no module " + m;
          }
          modules.add(m);
        }
      } else if (a.equals("-f")) {
        String f = args.get(++i);
        if (!Files.isRegularFile(line.cwd().resolve(f))) {
          return "mvn: no pom " + f;
        }
      } else if (a.startsWith("-Dtest=")) {
        for (String t : a.substring("-Dtest=".length()).split(",")) {
          String cls = t.replaceAll("#.*", "");
          if (findSource(modules, "src/test/java", cls) == null) {
            return "mvn: no test class "
                + cls
                + " in "
                + (modules.isEmpty() ? "any module" : modules);
          }
        }
      } else if (a.startsWith("-Dexec.mainClass=")) {
        mainClass = a.substring("-Dexec.mainClass=".length());
      } else if (a.startsWith("-Dexec.args=")) {
        mainArgs = DocumentedCommands.words(a.substring("-Dexec.args=".length()), line.env());
      }
    }
    if (mainClass != null) {
      return checkMain(mainClass, mainArgs, line.env());
    }
    return "ok (mvn modules"
        + (args.stream().anyMatch(a -> a.startsWith("-Dtest=")) ? ", tests" : "")
        + ")";
  }

  /** src/main|test/java file of a simple or qualified class name, in the given modules. */
  static Path findSource(List<String> modules, String dir, String cls) throws IOException {
    List<String> in =
        modules.isEmpty()
            ? List.of("proto", "transforms", "pipelines", "simulator", "runners")
            : modules;
    String file = cls.replace('.', '/') + ".java";
    for (String m : in) {
      Path base = ROOT.resolve(m).resolve(dir);
      if (!Files.isDirectory(base)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(base)) {
        Path hit = s.filter(p -> p.toString().endsWith("/" + file)).findFirst().orElse(null);
        if (hit != null) {
          return hit;
        }
      }
    }
    return null;
  }

  static String checkNode(DocumentedCommands.Line line, List<String> args) throws Exception {
    Path script = line.cwd().resolve(args.get(0));
    if (!Files.isRegularFile(script)) {
      return "node: no script " + args.get(0);
    }
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of("node", script.toString())));
    pb.command().addAll(args.subList(1, args.size()));
    Process p =
        pb.directory(line.cwd().toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0
        ? "ok (node " + args.get(0) + ")"
        : "node: exit " + p.exitValue() + ": " + err.strip();
  }

  /**
   * A script: it exists and is executable; its sub-command or mode from its usage line (and flags a
   * sub-command hands to the streaming job as streaming flags); its --help when it has one; the
   * variables a line sets are ones the script reads.
   */
  static String checkScript(
      DocumentedCommands.Line line, String script, List<String> args, Map<String, String> env)
      throws Exception {
    Path path = line.cwd().resolve(script);
    if (!Files.isRegularFile(path)) {
      return script + ": no such script";
    }
    if (!script.startsWith("bash") && !Files.isExecutable(path)) {
      return script + ": not executable";
    }
    String text = Files.readString(path, StandardCharsets.UTF_8);
    for (String var : env.keySet()) {
      if (!line.env().containsKey(var)
          && !Pattern.compile("\\$\\{?" + var + "\\b").matcher(text).find()) {
        return script + " does not read " + var;
      }
    }
    Process syntax = new ProcessBuilder("bash", "-n", path.toString()).start();
    if (syntax.waitFor() != 0) {
      return script
          + ": bash -n: "
          + new String(syntax.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    String name = path.getFileName().toString();
    if (text.contains(" demo \"$@\"")) { // demo.sh hands its flags to the demo command
      return checkDemo(args);
    }
    Map<String, String> modes = modes(text);
    if (!modes.isEmpty()) { // a script with sub-commands or modes: the first argument is one
      if (args.isEmpty()) {
        return "ok (" + name + ")";
      }
      String mode = args.get(0);
      List<String> rest = args.subList(1, args.size());
      if (!modes.containsKey(mode)) {
        return name + ": no sub-command '" + mode + "' (" + modes.keySet() + ")";
      }
      String takes = modes.get(mode);
      if (takes.contains("pipeline flags")) { // handed to the streaming job
        String s = checkStreaming(rest);
        return s.startsWith("ok") ? "ok (" + name + " " + mode + ": streaming flags)" : s;
      }
      long placeholders = Pattern.compile("\\b[A-Z][A-Z_]*\\b").matcher(takes).results().count();
      return rest.size() == placeholders
          ? "ok (" + name + " " + args + ")"
          : name + ": shown with " + args + ", its usage line says " + mode + " " + takes;
    }
    if (text.contains("--help)") || text.contains("-h|--help")) {
      List<String> cmd = new ArrayList<>(List.of("bash", path.toString()));
      cmd.addAll(args);
      cmd.add("--help");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() == 0
          ? "ok (" + name + " --help)"
          : name + " --help: exit " + p.exitValue() + ": " + out;
    }
    // a script whose own header documents the flags it passes on (the benchmarks)
    List<String> undocumented =
        args.stream()
            .map(a -> a.replaceAll("=.*", ""))
            .filter(flag -> !flag.startsWith("--") || !text.contains(flag + "="))
            .toList();
    return undocumented.isEmpty()
        ? "ok ("
            + name
            + ": exists, bash -n, variables"
            + (args.isEmpty() ? "" : ", flags documented in the script")
            + ")"
        : name + " does not document " + undocumented + " (shown with " + args + ")";
  }

  /**
   * The sub-commands (or modes) of a script's usage line {@code usage: $0 a|b ARG|c [flags...]},
   * each with what follows it ("ARG", "[flags...]", or nothing); empty when the script has none.
   */
  static Map<String, String> modes(String scriptText) {
    Map<String, String> modes = new java.util.LinkedHashMap<>();
    Matcher usage = Pattern.compile("usage: \\$0 ([^\"\\n]+)").matcher(scriptText);
    if (!usage.find()) {
      return modes;
    }
    for (String alternative : usage.group(1).split("\\|")) {
      Matcher m = Pattern.compile("^\\s*([a-z][a-z-]*)\\s*(.*)$").matcher(alternative);
      if (!m.matches()) {
        return Map.of(); // e.g. "[--help]": no sub-commands
      }
      modes.put(m.group(1), m.group(2).strip());
    }
    return modes;
  }

  /** terraform <sub-command> in an environment directory: -var names, -backend-config file. */
  static String checkTerraform(DocumentedCommands.Line line, List<String> args) throws IOException {
    Path env = line.cwd();
    if (!Files.isRegularFile(env.resolve("variables.tf"))) {
      return "terraform: " + ROOT.relativize(env) + " is not an environment (cd into one first)";
    }
    if (!Set.of("init", "plan", "apply", "validate", "output", "destroy", "fmt")
        .contains(args.get(0))) {
      return "terraform: no sub-command " + args.get(0);
    }
    String vars = Files.readString(env.resolve("variables.tf"), StandardCharsets.UTF_8);
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      String assignment =
          a.equals("-var") ? args.get(++i) : a.startsWith("-var=") ? a.substring(5) : null;
      if (assignment != null) {
        String name = assignment.substring(0, assignment.indexOf('='));
        if (!vars.contains("variable \"" + name + "\"")) {
          return "terraform: -var " + name + " is not a variable of " + ROOT.relativize(env);
        }
      }
      if (a.startsWith("-backend-config=")) {
        String f = a.substring("-backend-config=".length());
        if (!Files.exists(env.resolve(f)) && !Files.exists(env.resolve(f + ".example"))) {
          return "terraform: no " + f + " (or " + f + ".example) in " + ROOT.relativize(env);
        }
      }
    }
    return "ok (terraform " + args.get(0) + ")";
  }

  static String exists(Path cwd, String file, String what) {
    return Files.exists(cwd.resolve(file))
        ? "ok (" + what + ": " + file + " exists)"
        : what + ": no " + file + " in " + ROOT.relativize(cwd);
  }

  static String valueOf(List<String> args, String flag, String otherwise) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : otherwise;
  }
}
