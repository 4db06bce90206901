package org.iotbeam.pipelines.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A job submitted detached to a Flink cluster ({@code --attachedMode=false} with {@code
 * --flinkMaster=host:port}): the launcher waits until the job runs, names it (id and web UI
 * address, from the cluster's REST API by job name) and returns, leaving the job to the cluster.
 * Without this a streaming launcher would wait for a job that never ends.
 */
public final class DetachedJob {
  /** A running job: its Flink id and where to watch it. */
  public record Running(String jobId, String webUi) {
    @Override
    public String toString() {
      return "job " + jobId + " RUNNING; web UI " + webUi;
    }
  }

  private DetachedJob() {}

  /** Whether these options submit detached to a cluster (not Flink embedded, which is here). */
  public static boolean applies(PipelineOptions options) {
    return EmbeddedFlink.isFlink(options)
        && !EmbeddedFlink.isEmbedded(options)
        && !options.as(FlinkPipelineOptions.class).getAttachedMode();
  }

  /**
   * Waits until the job is RUNNING (fails if it ends or does not get there within {@code timeout}),
   * then finds its id on the cluster by its job name.
   */
  public static Running awaitRunning(
      PipelineResult result, FlinkPipelineOptions options, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    PipelineResult.State state = result.getState();
    while (state != PipelineResult.State.RUNNING) {
      if (state != null && state.isTerminal()) {
        throw new IllegalStateException(
            "job "
                + options.getJobName()
                + " ended "
                + state
                + " before it ran; see the JobManager log");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "job "
                + options.getJobName()
                + " not RUNNING after "
                + timeout.toSeconds()
                + " s (state "
                + state
                + "): does the cluster have free slots?");
      }
      Thread.sleep(500);
      state = result.getState();
    }
    String base = "http://" + options.getFlinkMaster().replaceFirst("^https?://", "");
    String id = jobId(base, options.getJobName());
    return new Running(id, base + "/#/job/running/" + id + "/overview");
  }

  private static String jobId(String base, String jobName) throws InterruptedException {
    try {
      HttpResponse<String> rsp =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/jobs/overview"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String id = null;
      for (JsonNode job : new ObjectMapper().readTree(rsp.body()).path("jobs")) {
        if (jobName.equals(job.path("name").asText())
            && job.path("state").asText().equals("RUNNING")) {
          id = job.path("jid").asText(); // job names carry a timestamp: at most one running
        }
      }
      if (id == null) {
        throw new IllegalStateException(
            "job " + jobName + " runs but " + base + "/jobs/overview does not list it");
      }
      return id;
    } catch (IOException e) {
      throw new IllegalStateException("cannot ask " + base + " for the job's id: " + e, e);
    }
  }
}
