package org.iotbeam.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One standalone Flink 1.19 cluster of {@code runners/scripts/flink-cluster.sh}: its own home
 * (state, logs, RocksDB, pids) and ports, checkpoints where it is told. Started, stopped, and
 * killed (SIGKILL to the JobManager and the TaskManager: a lost region) by the pids the script
 * wrote for the processes it started.
 */
final class LocalFlinkCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String name;
  final Path home;
  final Path checkpoints;
  final int restPort;
  private final Map<String, String> env;

  LocalFlinkCluster(
      String name, Path home, Path checkpoints, int restPort, int rpcPort, int metricsPort) {
    this.name = name;
    this.home = home;
    this.checkpoints = checkpoints;
    this.restPort = restPort;
    this.env =
        Map.of(
            "IOTBEAM_FLINK_HOME",
            home.toString(),
            "FLINK_CHECKPOINTS_DIR",
            checkpoints.toString(),
            "FLINK_REST_PORT",
            Integer.toString(restPort),
            "FLINK_RPC_PORT",
            Integer.toString(rpcPort),
            "FLINK_METRICS_PORT",
            Integer.toString(metricsPort));
  }

  String master() {
    return "127.0.0.1:" + restPort;
  }

  void start() throws IOException, InterruptedException {
    script("start", Duration.ofMinutes(5));
  }

  void stop() throws IOException, InterruptedException {
    script("stop", Duration.ofMinutes(2));
  }

  /** SIGKILL to both processes: nothing is flushed, cancelled or cleaned up. */
  void kill() throws IOException {
    for (String p : List.of("jm", "tm")) {
      Path pidFile = home.resolve(p + ".pid");
      if (Files.isRegularFile(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
      }
    }
  }

  private void script(String command, Duration timeout) throws IOException, InterruptedException {
    Path script = DeployedJob.repositoryRoot().resolve("runners/scripts/flink-cluster.sh");
    Path log = Files.createDirectories(home).resolve("flink-cluster-" + command + ".out");
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString(), command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          name
              + ": flink-cluster.sh "
              + command
              + " failed: "
              + Files.readString(log, StandardCharsets.UTF_8));
    }
  }

  JsonNode rest(String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://" + master() + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(name + " " + path + ": HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  /** The id of the one RUNNING job, waiting for it. */
  String runningJob(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode j : rest("/jobs/overview").get("jobs")) {
        if (j.get("state").asText().equals("RUNNING")
            && j.get("tasks").get("running").asInt() == j.get("tasks").get("total").asInt()) {
          return j.get("jid").asText();
        }
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException(name + ": no job running after " + timeout);
  }

  /** Waits for a completed checkpoint; fails with the job's last exception when none comes. */
  void awaitCheckpoint(String job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completedCheckpoints(job) == 0) {
      if (System.nanoTime() > deadline) {
        JsonNode exceptions = rest("/jobs/" + job + "/exceptions");
        String root = exceptions.path("root-exception").asText("none");
        throw new IllegalStateException(
            name
                + ": job "
                + job
                + " completed no checkpoint in "
                + timeout
                + "; its last failure: "
                + root.lines().limit(8).collect(java.util.stream.Collectors.joining("\n")));
      }
      Thread.sleep(1000);
    }
  }

  /** Completed checkpoints of a job so far. */
  long completedCheckpoints(String job) throws IOException, InterruptedException {
    return rest("/jobs/" + job + "/checkpoints").get("counts").get("completed").asLong();
  }
}
