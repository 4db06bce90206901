package org.iotbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The streaming job as an environment's Terraform deploys it (the FlinkDeployment's arguments and
 * Flink configuration), rendered by {@code terraform/flink-job.mjs} from the HCL and the
 * environment's terraform.tfvars. Needs Node and {@code terraform/node_modules} (the pipelines
 * build runs {@code npm ci} there when it is missing; {@code bash terraform/check.sh} does too).
 */
final class DeployedJob {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Local stand-ins of {@link #of}: nothing connects to them in a test that only builds. */
  static final String LOCAL_BOOTSTRAP = "127.0.0.1:9092";

  static final Path LOCAL_OUT = Path.of(System.getProperty("java.io.tmpdir"), "iotbeam-deployed");

  /** One render per environment and JVM (node parses all the Terraform: seconds). */
  private static final Map<String, DeployedJob> CACHE = new ConcurrentHashMap<>();

  final String environment;
  final JsonNode json;

  private DeployedJob(String environment, JsonNode json) {
    this.environment = environment;
    this.json = json;
  }

  /**
   * The environment's job, with local arguments for {@link #LOCAL_BOOTSTRAP}, {@link #LOCAL_OUT}.
   */
  static DeployedJob of(String environment) {
    return CACHE.computeIfAbsent(environment, e -> renderLocal(e, LOCAL_BOOTSTRAP, LOCAL_OUT));
  }

  /**
   * The environment's job, and its arguments with local endpoints ({@link #localArgs()}): a Kafka
   * broker at {@code bootstrap}, files under {@code outputBase}.
   */
  static DeployedJob renderLocal(String environment, String bootstrap, Path outputBase) {
    return render(
        environment, List.of("--bootstrap", bootstrap, "--output-base", outputBase.toString()));
  }

  private static DeployedJob render(String environment, List<String> extra) {
    Path script = repositoryRoot().resolve("terraform/flink-job.mjs");
    List<String> cmd = new ArrayList<>(List.of("node", script.toString(), environment));
    cmd.addAll(extra);
    try {
      Path out = Files.createTempFile("flink-job-" + environment, ".json");
      Path err = Files.createTempFile("flink-job-" + environment, ".err");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError(String.join(" ", cmd) + " did not finish in 120 s");
        }
        if (p.exitValue() != 0) {
          throw new AssertionError(
              String.join(" ", cmd)
                  + " failed (exit "
                  + p.exitValue()
                  + "): "
                  + Files.readString(err, StandardCharsets.UTF_8)
                  + "\n(needs Node 20 and terraform/node_modules: npm ci --prefix terraform)");
        }
        return new DeployedJob(environment, JSON.readTree(out.toFile()));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run "
              + String.join(" ", cmd)
              + ": "
              + e.getMessage()
              + " (Node 20 must be on the PATH)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The directory holding terraform/ (tests run in the module directory). */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("terraform/flink-job.mjs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no terraform/flink-job.mjs above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  List<String> args() {
    return strings(json.get("args"));
  }

  /** The arguments with the Azure endpoints replaced; only from {@link #renderLocal}. */
  List<String> localArgs() {
    if (!json.has("localArgs")) {
      throw new IllegalStateException("rendered without local endpoints");
    }
    return strings(json.get("localArgs"));
  }

  /** What was replaced or left out, one line each (flag: deployed -> local, why). */
  List<String> substitutions() {
    List<String> out = new ArrayList<>();
    json.get("substituted")
        .forEach(
            s ->
                out.add(
                    s.get("flag").asText()
                        + ": "
                        + s.get("deployed").asText()
                        + " -> "
                        + (s.get("local").isNull() ? "(left out)" : s.get("local").asText())
                        + " ("
                        + s.get("why").asText()
                        + ")"));
    return out;
  }

  Map<String, String> flinkConfiguration() {
    Map<String, String> m = new TreeMap<>();
    json.get("flinkConfiguration")
        .fields()
        .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  String text(String field) {
    return json.get(field).asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
