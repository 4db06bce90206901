package org.iotbeam.runners.docker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.Test;

/**
 * The job image's inputs (no Docker engine runs here, so the image itself is not built): every file
 * runners/docker/Dockerfile copies exists in the build context that the runners build writes
 * (target/docker); the job jar there holds the FlinkDeployment's entry class; the lib/ jars alone
 * (on a class loader that sees only Flink's metrics API, as a TaskManager's does) are enough to
 * find, create and open the Beam-metrics reporter through META-INF/services and serve Prometheus
 * text; the Azure file system plugin directory holds the workload identity token provider. The
 * Dockerfile's paths against the FlinkDeployment's are checked by terraform/test (node).
 */
public class JobImageIT {
  static final Path RUNNERS = Path.of("").toAbsolutePath();
  static final Path DOCKERFILE = RUNNERS.resolve("docker/Dockerfile");
  static final Path CONTEXT = RUNNERS.resolve("target/docker");
  static final String REPORTER_FACTORY =
      "org.iotbeam.pipelines.observability.FlinkBeamMetricsReporterFactory";

  /** The {@code COPY [--flags] src dst} lines of the Dockerfile: [src, dst]. */
  static List<String[]> copies(String dockerfile) {
    List<String[]> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$").matcher(dockerfile);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  @Test
  public void everyCopiedFileIsInTheBuildContext() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE, StandardCharsets.UTF_8);
    assertTrue(
        "FROM the official Flink 1.19 Java 17 image",
        dockerfile.contains("ARG FLINK_IMAGE=flink:1.19-java17")
            && dockerfile.contains("FROM ${FLINK_IMAGE}"));
    List<String[]> copies = copies(dockerfile);
    assertEquals(
        "usrlib jar, lib/, the plugin: "
            + copies.stream().map(c -> c[0]).collect(Collectors.toList()),
        3,
        copies.size());
    List<String> missing = new ArrayList<>();
    for (String[] c : copies) {
      Path src = CONTEXT.resolve(c[0]);
      boolean present =
          c[0].endsWith("/")
              ? Files.isDirectory(src) && !listJars(src).isEmpty()
              : Files.isRegularFile(src);
      if (!present) {
        missing.add(c[0] + " (-> " + c[1] + ")");
      }
    }
    assertEquals(
        "not in " + CONTEXT + " (mvn -B install -DskipTests -pl runners -am writes it)",
        List.of(),
        missing);
  }

  @Test
  public void theJobJarHoldsTheEntryClass() throws IOException {
    try (JarFile jar = new JarFile(CONTEXT.resolve("usrlib/iotbeam-runners.jar").toFile())) {
      assertNotNull(jar.getEntry("org/iotbeam/pipelines/StreamingPipeline.class"));
      assertEquals(
          "org.iotbeam.runners.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }

  @Test
  public void theLibJarsAloneServeTheBeamMetricsReporter() throws Exception {
    List<Path> lib = listJars(CONTEXT.resolve("lib"));
    // what a TaskManager's system class loader gives the reporter: Flink's metrics API and SLF4J
    ClassLoader flink =
        new URLClassLoader(
            new URL[] {jarOf(MetricReporterFactory.class), jarOf(org.slf4j.LoggerFactory.class)},
            ClassLoader.getPlatformClassLoader());
    URL[] urls = new URL[lib.size()];
    for (int i = 0; i < urls.length; i++) {
      urls[i] = lib.get(i).toUri().toURL();
    }
    try (URLClassLoader image = new URLClassLoader(urls, flink)) {
      Class<?> factoryType = flink.loadClass(MetricReporterFactory.class.getName());
      Object factory = null;
      for (Object f : ServiceLoader.load(factoryType, image)) {
        if (f.getClass().getName().equals(REPORTER_FACTORY)) {
          factory = f;
        }
      }
      assertNotNull(REPORTER_FACTORY + " in META-INF/services of " + lib, factory);
      assertEquals("loaded from the image's lib/", image, factory.getClass().getClassLoader());
      Object reporter =
          factoryType
              .getMethod("createMetricReporter", Properties.class)
              .invoke(factory, new Properties());
      Class<?> configType = flink.loadClass(MetricConfig.class.getName());
      Object config = configType.getConstructor().newInstance();
      configType
          .getMethod("setProperty", String.class, String.class)
          .invoke(config, "host", "127.0.0.1");
      configType.getMethod("setProperty", String.class, String.class).invoke(config, "port", "0");
      reporter.getClass().getMethod("open", configType).invoke(reporter, config);
      try {
        String url = (String) reporter.getClass().getMethod("url").invoke(reporter);
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(url, 200, r.statusCode());
        assertTrue(
            r.headers().firstValue("Content-Type").orElse(""),
            r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      } finally {
        Method close = reporter.getClass().getMethod("close");
        close.invoke(reporter);
      }
    }
  }

  @Test
  public void theAzureFileSystemPluginGetsTheWorkloadIdentityTokenProvider() throws IOException {
    List<Path> jars = listJars(CONTEXT.resolve("plugins/azure-fs-hadoop"));
    assertEquals(jars.toString(), 1, jars.size());
    try (JarFile jar = new JarFile(jars.get(0).toFile())) {
      assertNotNull(jar.getEntry("org/iotbeam/flink/azurefs/WorkloadIdentityTokenProvider.class"));
      assertTrue(
          "nothing but the provider: the plugin has Hadoop",
          jar.stream().filter(e -> e.getName().endsWith(".class")).count() == 1);
    }
  }

  static List<Path> listJars(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
  }

  static URL jarOf(Class<?> c) throws IOException {
    try {
      return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toURI()
          .toURL();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
