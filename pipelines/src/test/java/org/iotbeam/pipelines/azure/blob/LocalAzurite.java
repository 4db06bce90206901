package org.iotbeam.pipelines.azure.blob;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Azurite's blob service as a child process, for tests: {@code azurite-blob} from {@code
 * pipelines/src/test/azurite/node_modules} on 127.0.0.1 and a free port, with its data in a
 * temporary directory that {@link #close()} deletes.
 *
 * <p>Install it once with {@code npm ci --prefix pipelines/src/test/azurite}. The connection string
 * is Azurite's well-known development account (public, in Microsoft's documentation; for tests
 * only: production signs in with DefaultAzureCredential, see {@link BlobClientFactory}).
 */
public final class LocalAzurite implements AutoCloseable {
  private static final int START_TIMEOUT_SECONDS = 120;
  public static final String ACCOUNT = "devstoreaccount1";

  /** Azurite's published development key; not a secret. */
  private static final String DEV_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final Path dir;
  private final int port;

  private LocalAzurite(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts Azurite and waits until it accepts connections (about 2-3 s). */
  public static LocalAzurite start() throws IOException, InterruptedException {
    Path bin = azuriteBin();
    int port = freePort();
    Path dir = Files.createTempDirectory("azurite-");
    Path log = dir.resolve("azurite.out");
    Process p =
        new ProcessBuilder(
                bin.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                Integer.toString(port),
                "--location",
                dir.resolve("data").toString(),
                "--silent",
                "--disableTelemetry",
                "--skipApiVersionCheck")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalAzurite azurite = new LocalAzurite(p, dir, port);
    // node starts in a second or two on a quiet machine, in over 30 s on a saturated one
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (true) {
      if (!p.isAlive()) {
        String out = Files.readString(log);
        azurite.close();
        throw new IOException("azurite-blob exited with " + p.exitValue() + ": " + out);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return azurite;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          azurite.close();
          throw new IOException(
              "azurite-blob did not listen on 127.0.0.1:"
                  + port
                  + " in "
                  + START_TIMEOUT_SECONDS
                  + " s");
        }
        Thread.sleep(100);
      }
    }
  }

  /** {@code node_modules/.bin/azurite-blob}, or a failure that says how to install it. */
  static Path azuriteBin() {
    Path base = Paths.get("src/test/azurite");
    if (!Files.isDirectory(base)) {
      base = Paths.get("pipelines/src/test/azurite"); // run from the repository root
    }
    Path bin = base.resolve("node_modules/.bin/azurite-blob");
    if (!Files.isExecutable(bin)) {
      throw new IllegalStateException(
          "Azurite is not installed: run `npm ci --prefix "
              + base.toAbsolutePath().normalize()
              + "` (needs node and npm), then rerun the test");
    }
    return bin.toAbsolutePath();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String blobEndpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + DEV_KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  public BlobServiceClient client() {
    return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
  }

  /** Creates containers (azfs never does). */
  public LocalAzurite createContainers(String... names) {
    BlobServiceClient c = client();
    for (String n : names) {
      c.createBlobContainerIfNotExists(n);
    }
    return this;
  }

  /** The pipeline flags that point Beam's azfs:// at this Azurite. */
  public List<String> pipelineArgs() {
    return List.of(
        "--azureConnectionString=" + connectionString(),
        "--blobstoreClientFactoryClass=" + BlobClientFactory.class.getName());
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // a temp directory left behind is not worth failing a test for
    }
  }
}
