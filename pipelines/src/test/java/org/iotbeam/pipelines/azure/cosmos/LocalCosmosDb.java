package org.iotbeam.pipelines.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosAsyncDatabase;
import com.azure.cosmos.models.CosmosContainerProperties;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Cosmos DB stand-in for tests: {@code @vercel/cosmosdb-server} (node, from {@code
 * src/test/cosmosdb}) over HTTPS on a free 127.0.0.1 port, with a fresh self-signed certificate
 * (CN=localhost, SAN IP:127.0.0.1, DNS:localhost) that this JVM is made to trust.
 *
 * <ul>
 *   <li>The key pair and certificate come from {@code openssl} (keytool cannot export a private
 *       key, and node needs it as PEM); {@code keytool} imports the certificate into a PKCS12 trust
 *       store, which becomes {@code javax.net.ssl.trustStore}. That must happen before the first
 *       Cosmos client is built: the SDK's netty TLS context reads the default trust managers when
 *       the client is created. The trust store holds only this certificate, so the test JVM trusts
 *       nothing else (nothing else in these tests needs TLS).
 *   <li>{@code npm ci} runs first when {@code node_modules} is missing (a fresh clone).
 *   <li>{@link #connection()} is gateway mode with endpoint discovery off, as the stand-in needs;
 *       the key is the emulator's well-known public key (the stand-in checks none).
 * </ul>
 *
 * {@link #close()} stops the server and deletes the temporary directory.
 */
public final class LocalCosmosDb implements AutoCloseable {
  /** The Cosmos DB emulator's published key; the stand-in accepts any. */
  public static final String EMULATOR_KEY =
      "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

  private static final Path PACKAGE_DIR = Path.of("src", "test", "cosmosdb");

  private final Path dir;
  private final Process process;
  private final int port;

  private LocalCosmosDb(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** Starts the server and creates {@code database} with the given containers (/deviceId). */
  public static LocalCosmosDb start(String database, String... containers) throws Exception {
    ensureInstalled();
    Path dir = Files.createTempDirectory("cosmosdb-standin");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Path trustStore = dir.resolve("truststore.p12");
    exec(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString());
    exec(
        dir,
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "cosmosdb-standin",
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

    Process p =
        new ProcessBuilder(
                "node",
                PACKAGE_DIR.resolve("start.js").toString(),
                "0",
                cert.toString(),
                key.toString())
            .redirectError(dir.resolve("server.err").toFile())
            .start();
    int port;
    try {
      port = awaitPort(p, dir, Duration.ofSeconds(30));
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
    LocalCosmosDb db = new LocalCosmosDb(dir, p, port);
    try (CosmosAsyncClient client = db.connection().createAsyncClient()) {
      client.createDatabaseIfNotExists(database).block(Duration.ofSeconds(30));
      CosmosAsyncDatabase d = client.getDatabase(database);
      for (String c : containers) {
        d.createContainerIfNotExists(
                new CosmosContainerProperties(c, CosmosDocuments.PARTITION_KEY_PATH))
            .block(Duration.ofSeconds(30));
      }
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  public String endpoint() {
    return "https://127.0.0.1:" + port + "/";
  }

  public CosmosConnection connection() {
    return CosmosConnection.of(endpoint())
        .withKey(EMULATOR_KEY)
        .withGatewayMode(true)
        .withEndpointDiscovery(false)
        .withThrottling(3, Duration.ofSeconds(5));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close(); // start.js exits when stdin closes
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
    }
  }

  private static int awaitPort(Process p, Path dir, Duration timeout) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (IOException e) {
                return null;
              }
            });
    String first;
    try {
      first = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      first = null;
    }
    if (first == null || !first.startsWith("listening ")) {
      throw new IllegalStateException(
          "the Cosmos DB stand-in did not start: "
              + first
              + " "
              + Files.readString(dir.resolve("server.err")));
    }
    return Integer.parseInt(first.substring("listening ".length()).trim());
  }

  private static void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isDirectory(PACKAGE_DIR.resolve("node_modules/@vercel/cosmosdb-server"))) {
      return;
    }
    exec(PACKAGE_DIR, "npm", "ci", "--no-audit", "--no-fund");
  }

  private static void exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", new ArrayList<>(List.of(command))) + " failed: " + output);
    }
  }
}
