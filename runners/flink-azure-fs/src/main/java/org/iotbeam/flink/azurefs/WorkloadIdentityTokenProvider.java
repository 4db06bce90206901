package org.iotbeam.flink.azurefs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.azurebfs.extensions.CustomTokenProviderAdaptee;

/**
 * Entra ID tokens for {@code abfss://} from an AKS workload identity, for the hadoop-azure 3.3.4
 * inside Flink 1.19's {@code flink-azure-fs-hadoop} plugin, which has no workload identity provider
 * of its own (hadoop-azure 3.4 added one). It exchanges the service account token that the workload
 * identity webhook projects into the pod for a storage token (OAuth 2.0 client credentials with a
 * federated client assertion), as Azure's own SDKs do.
 *
 * <p>Flink configuration (Flink hands {@code fs.azure.*} to the plugin), per account host:
 *
 * <pre>
 * fs.azure.account.auth.type.HOST: Custom
 * fs.azure.account.oauth.provider.type.HOST: org.iotbeam.flink.azurefs.WorkloadIdentityTokenProvider
 * fs.azure.account.oauth2.client.id.HOST: ...        (else env AZURE_CLIENT_ID)
 * fs.azure.account.oauth2.msi.tenant.HOST: ...       (else env AZURE_TENANT_ID)
 * fs.azure.account.oauth2.token.file.HOST: ...       (else env AZURE_FEDERATED_TOKEN_FILE)
 * fs.azure.account.oauth2.msi.authority.HOST: ...    (else env AZURE_AUTHORITY_HOST, else
 *                                                     https://login.microsoftonline.com/)
 * </pre>
 *
 * The keys are hadoop-azure 3.4's, so moving to a plugin with its own provider changes one line.
 * The jar goes into {@code plugins/azure-fs-hadoop/} beside the plugin (runners/docker/Dockerfile).
 */
public class WorkloadIdentityTokenProvider implements CustomTokenProviderAdaptee {
  static final String CLIENT_ID = "fs.azure.account.oauth2.client.id";
  static final String TENANT = "fs.azure.account.oauth2.msi.tenant";
  static final String TOKEN_FILE = "fs.azure.account.oauth2.token.file";
  static final String AUTHORITY = "fs.azure.account.oauth2.msi.authority";
  static final String SCOPE = "https://storage.azure.com/.default";
  private static final Pattern ACCESS_TOKEN =
      Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*\"?([0-9]+)");
  private static final Pattern ERROR =
      Pattern.compile("\"error_description\"\\s*:\\s*\"([^\"]*)\"");

  private final Function<String, String> env;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private String clientId;
  private String tokenEndpoint;
  private Path tokenFile;
  private volatile Date expiry = new Date(0);

  public WorkloadIdentityTokenProvider() {
    this(System::getenv);
  }

  WorkloadIdentityTokenProvider(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public void initialize(Configuration conf, String accountName) throws IOException {
    clientId = setting(conf, accountName, CLIENT_ID, "AZURE_CLIENT_ID");
    String tenant = setting(conf, accountName, TENANT, "AZURE_TENANT_ID");
    tokenFile = Path.of(setting(conf, accountName, TOKEN_FILE, "AZURE_FEDERATED_TOKEN_FILE"));
    String authority = conf.get(AUTHORITY + "." + accountName, conf.get(AUTHORITY));
    if (authority == null || authority.isBlank()) {
      authority = env.apply("AZURE_AUTHORITY_HOST");
    }
    if (authority == null || authority.isBlank()) {
      authority = "https://login.microsoftonline.com/";
    }
    tokenEndpoint =
        (authority.endsWith("/") ? authority : authority + "/") + tenant + "/oauth2/v2.0/token";
  }

  /** The account-specific key, else the general one, else the environment variable. */
  private String setting(Configuration conf, String account, String key, String envName)
      throws IOException {
    String v = conf.get(key + "." + account, conf.get(key));
    if (v == null || v.isBlank()) {
      v = env.apply(envName);
    }
    if (v == null || v.isBlank()) {
      throw new IOException(
          "workload identity for "
              + account
              + ": set "
              + key
              + "."
              + account
              + " (or "
              + key
              + ") in the Flink configuration, or env "
              + envName
              + " (the AKS workload identity webhook sets it on pods labelled "
              + "azure.workload.identity/use=true)");
    }
    return v.trim();
  }

  @Override
  public String getAccessToken() throws IOException {
    String assertion;
    try {
      // re-read every time: the kubelet rotates the projected token
      assertion = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new IOException(
          "workload identity: no token file "
              + tokenFile
              + " (is the pod labelled azure.workload.identity/use=true?)",
          e);
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", clientId);
    form.put("scope", SCOPE);
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", assertion);
    form.put("grant_type", "client_credentials");
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(tokenEndpoint))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + tokenEndpoint + " for a token", e);
    }
    Matcher token = ACCESS_TOKEN.matcher(response.body());
    Matcher expiresIn = EXPIRES_IN.matcher(response.body());
    if (response.statusCode() != 200 || !token.find() || !expiresIn.find()) {
      Matcher error = ERROR.matcher(response.body());
      throw new IOException(
          "workload identity: "
              + tokenEndpoint
              + " answered HTTP "
              + response.statusCode()
              + (error.find() ? ": " + error.group(1) : ""));
    }
    expiry = new Date(System.currentTimeMillis() + Long.parseLong(expiresIn.group(1)) * 1000);
    return token.group(1);
  }

  @Override
  public Date getExpiryTime() {
    return expiry;
  }
}
