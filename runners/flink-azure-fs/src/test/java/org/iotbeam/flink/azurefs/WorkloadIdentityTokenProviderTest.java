package org.iotbeam.flink.azurefs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.azurebfs.AbfsConfiguration;
import org.apache.hadoop.fs.azurebfs.oauth2.AccessTokenProvider;
import org.apache.hadoop.fs.azurebfs.oauth2.AzureADToken;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The provider through hadoop-azure's own code path (the {@code AbfsConfiguration} of the
 * flink-azure-fs-hadoop plugin jar, configured with the keys the Terraform's FlinkDeployment sets),
 * against a local HTTP server standing in for Entra ID's token endpoint (Entra ID cannot run here):
 * the request is the federated client-credentials exchange, the token and its expiry come back, the
 * projected token is re-read, errors say what is wrong.
 */
public class WorkloadIdentityTokenProviderTest {
  private static final String ACCOUNT = "stiotbeamdevd01.dfs.core.windows.net";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private HttpServer entra;
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String answer =
      "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"storage-token-1\"}";
  private Path tokenFile;

  @Before
  public void start() throws IOException {
    entra = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    entra.createContext(
        "/tenant-1/oauth2/v2.0/token",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              java.util.Arrays.stream(body.split("&"))
                  .map(kv -> kv.split("=", 2))
                  .collect(
                      Collectors.toMap(
                          kv -> kv[0], kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8))));
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    entra.start();
    tokenFile = tmp.newFile("azure-identity-token").toPath();
    Files.writeString(tokenFile, "projected.service-account.jwt-1\n");
  }

  @After
  public void stop() {
    entra.stop(0);
  }

  /** The Flink configuration's fs.azure.* keys for the account, as the Terraform sets them. */
  private Configuration conf() {
    Configuration c = new Configuration(false);
    c.set("fs.azure.account.auth.type." + ACCOUNT, "Custom");
    c.set(
        "fs.azure.account.oauth.provider.type." + ACCOUNT,
        WorkloadIdentityTokenProvider.class.getName());
    c.set("fs.azure.account.oauth2.client.id." + ACCOUNT, "client-1");
    c.set("fs.azure.account.oauth2.msi.tenant." + ACCOUNT, "tenant-1");
    c.set("fs.azure.account.oauth2.token.file." + ACCOUNT, tokenFile.toString());
    c.set(
        "fs.azure.account.oauth2.msi.authority." + ACCOUNT,
        "http://127.0.0.1:" + entra.getAddress().getPort());
    return c;
  }

  @Test
  public void hadoopAzureGetsAStorageTokenForTheProjectedServiceAccountToken() throws Exception {
    AccessTokenProvider provider = new AbfsConfiguration(conf(), ACCOUNT).getTokenProvider();
    long before = System.currentTimeMillis();
    AzureADToken token = provider.getToken();
    assertEquals("storage-token-1", token.getAccessToken());
    long expiresInMs = token.getExpiry().getTime() - before;
    assertTrue(
        "expiry about an hour ahead: " + expiresInMs,
        expiresInMs > 3_500_000 && expiresInMs <= 3_600_000);
    assertEquals(
        List.of(
            Map.of(
                "client_id",
                "client-1",
                "scope",
                "https://storage.azure.com/.default",
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion",
                "projected.service-account.jwt-1",
                "grant_type",
                "client_credentials")),
        requests);
  }

  @Test
  public void theRotatedProjectedTokenIsReadAgain() throws Exception {
    WorkloadIdentityTokenProvider p = new WorkloadIdentityTokenProvider(name -> null);
    p.initialize(conf(), ACCOUNT);
    p.getAccessToken();
    Files.writeString(tokenFile, "projected.service-account.jwt-2");
    p.getAccessToken();
    assertEquals("projected.service-account.jwt-2", requests.get(1).get("client_assertion"));
  }

  @Test
  public void theEnvironmentOfTheWebhookIsTheFallback() throws Exception {
    Configuration c = new Configuration(false);
    Map<String, String> env =
        Map.of(
            "AZURE_CLIENT_ID",
            "client-2",
            "AZURE_TENANT_ID",
            "tenant-1",
            "AZURE_FEDERATED_TOKEN_FILE",
            tokenFile.toString(),
            "AZURE_AUTHORITY_HOST",
            "http://127.0.0.1:" + entra.getAddress().getPort() + "/");
    WorkloadIdentityTokenProvider p = new WorkloadIdentityTokenProvider(env::get);
    p.initialize(c, ACCOUNT);
    assertEquals("storage-token-1", p.getAccessToken());
    assertEquals("client-2", requests.get(0).get("client_id"));
  }

  @Test
  public void errorsSayWhatIsWrong() throws Exception {
    IOException missing =
        assertThrows(
            IOException.class,
            () ->
                new WorkloadIdentityTokenProvider(name -> null)
                    .initialize(new Configuration(false), ACCOUNT));
    assertTrue(
        missing.getMessage(),
        missing.getMessage().contains("fs.azure.account.oauth2.client.id." + ACCOUNT)
            && missing.getMessage().contains("AZURE_CLIENT_ID"));

    status = 400;
    answer =
        "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS70021: No matching "
            + "federated identity record found\"}";
    WorkloadIdentityTokenProvider p = new WorkloadIdentityTokenProvider(name -> null);
    p.initialize(conf(), ACCOUNT);
    IOException refused = assertThrows(IOException.class, p::getAccessToken);
    assertTrue(refused.getMessage(), refused.getMessage().contains("HTTP 400: AADSTS70021"));

    Files.delete(tokenFile);
    IOException noFile = assertThrows(IOException.class, p::getAccessToken);
    assertTrue(noFile.getMessage(), noFile.getMessage().contains("azure.workload.identity/use"));
  }
}
