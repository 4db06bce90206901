package org.iotbeam.runners.demo;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.iotbeam.pipelines.observability.FlinkBeamMetricsReporter;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Local means local: while the demo runs, every TCP socket this JVM listens on (the Kafka broker
 * and its controller, the MQTT broker, Flink embedded's REST endpoint and blob server, the
 * Prometheus reporter), read from the kernel's tables, is bound to 127.0.0.1; and the Flink web UI
 * offers no cancel button (its REST API, now reachable from this machine only, still can).
 */
public class DemoListenersTest {
  private static final Pattern JOB_ID = Pattern.compile("\"id\":\"([0-9a-f]{32})\"");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test(timeout = 480_000)
  public void everyListenerOfTheDemoIsOnLoopbackAndTheUiCannotCancel() throws Exception {
    Path out = tmp.newFolder("demo-output").toPath();
    Demo demo =
        new Demo(
            DemoOptions.parse(
                "--duration",
                "40s",
                "--rate",
                "20",
                "--devices",
                "5",
                "--output",
                out.toString(),
                "--drainTimeout",
                "30s",
                "--quiet"),
            System.err);
    ExecutorService runner = Executors.newSingleThreadExecutor();
    Future<DemoSummary> run = runner.submit(demo::run);
    try {
      // once the job runs, its REST endpoint is among the listeners
      String rest = null;
      String jobId = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (jobId == null) {
        assertTrue("the demo's job did not start", System.nanoTime() < deadline);
        assertTrue("the demo ended early", !run.isDone());
        Thread.sleep(1000);
        rest = flinkRest(ListeningSockets.ofThisProcess());
        if (rest != null) {
          Matcher m = JOB_ID.matcher(get(rest + "/jobs"));
          jobId = m.find() && get(rest + "/jobs").contains("RUNNING") ? m.group(1) : null;
        }
      }
      assertThat(
          "the Prometheus reporter serves", FlinkBeamMetricsReporter.openUrls(), not(empty()));

      List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcess();
      System.err.println("listening: " + listeners);
      assertThat(
          "not on loopback: " + listeners,
          listeners.stream().filter(l -> !l.loopback()).collect(Collectors.toList()),
          empty());
      // Kafka + its controller, MQTT, Flink REST, Flink blob server, Prometheus at least
      assertThat(listeners.toString(), listeners.size(), greaterThanOrEqualTo(6));
      int prometheusPort = URI.create(FlinkBeamMetricsReporter.openUrls().get(0)).getPort();
      assertTrue(listeners.stream().anyMatch(l -> l.port() == prometheusPort));

      // the web UI offers no cancel (nor submit); the REST API itself answers on 127.0.0.1 only
      String config = get(rest + "/config");
      assertThat(config, containsString("\"web-cancel\":false"));
      assertThat(config, containsString("\"web-submit\":false"));
      assertThat(get(rest + "/jobs/" + jobId), containsString("\"state\":\"RUNNING\""));
    } finally {
      demo.requestStop();
      assertTrue("the demo stopped", demo.awaitFinished(120, TimeUnit.SECONDS));
      runner.shutdownNow();
    }
    assertNotNull("the demo ended with a summary", run.get(60, TimeUnit.SECONDS));
  }

  /** {@code http://127.0.0.1:port} of the listener that answers as Flink's REST API, or null. */
  private String flinkRest(List<ListeningSockets.Listener> listeners) {
    for (ListeningSockets.Listener l : listeners) {
      String base = "http://127.0.0.1:" + l.port();
      try {
        if (get(base + "/config").contains("\"flink-version\"")) {
          return base;
        }
      } catch (IOException | RuntimeException e) {
        // not HTTP, or not Flink
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  private String get(String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
