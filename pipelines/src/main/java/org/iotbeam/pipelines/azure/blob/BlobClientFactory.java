package org.iotbeam.pipelines.azure.blob;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The blob client behind Beam's {@code azfs://} file system, for {@code
 * --blobstoreClientFactoryClass=org.iotbeam.pipelines.azure.blob.BlobClientFactory}.
 *
 * <p>Two ways to connect, in this order:
 *
 * <ol>
 *   <li><b>A connection string</b>: the environment variable {@value #CONNECTION_STRING_ENV}
 *       ({@code --azureConnectionString} only for Azurite's published development account: a secret
 *       flag is refused, see {@link #secretFlagProblems}). Nothing else is added to the builder.
 *       This is how Azurite is reached: Beam's default factory also adds the options' bearer-token
 *       credential, and the Azure SDK refuses a bearer token over plain {@code http://}.
 *   <li><b>Microsoft Entra ID</b> (production): {@code
 *       --blobServiceEndpoint=https://ACCOUNT.blob.core.windows.net} and {@code
 *       DefaultAzureCredential} (managed identity on AKS, workload identity, or {@code az login} on
 *       a workstation); the identity needs "Storage Blob Data Reader" on the archive and "Storage
 *       Blob Data Contributor" on the output containers.
 * </ol>
 */
public class BlobClientFactory implements BlobstoreClientBuilderFactory {
  public static final String CONNECTION_STRING_ENV = "AZURE_STORAGE_CONNECTION_STRING";
  public static final String SAS_TOKEN_ENV = "AZURE_STORAGE_SAS_TOKEN";

  /** Azurite's development account, whose key Microsoft publishes: not a secret. */
  public static final String AZURITE_ACCOUNT = "devstoreaccount1";

  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    return builder(options);
  }

  /** The builder for these options; also used for the checks made before a pipeline runs. */
  public static BlobServiceClientBuilder builder(BlobstoreOptions options) {
    String conn = connectionString(options);
    if (conn != null) {
      return new BlobServiceClientBuilder().connectionString(conn);
    }
    String endpoint = options.getBlobServiceEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException(
          "no Azure Blob connection: set the environment variable "
              + CONNECTION_STRING_ENV
              + ", or pass --blobServiceEndpoint="
              + "https://ACCOUNT.blob.core.windows.net to sign in with DefaultAzureCredential");
    }
    BlobServiceClientBuilder b = new BlobServiceClientBuilder().endpoint(endpoint);
    String sas = sasToken(options);
    if (sas != null) {
      return b.sasToken(sas);
    }
    return b.credential(new DefaultAzureCredentialBuilder().build());
  }

  /**
   * Secrets given as flags: on the command line (visible in {@code ps}) and in the job's
   * configuration (Flink's web UI shows every option). A connection string belongs in env {@value
   * #CONNECTION_STRING_ENV}, a SAS token in env {@value #SAS_TOKEN_ENV}; only Azurite's published
   * development account ({@value #AZURITE_ACCOUNT}) may come as a flag.
   */
  public static List<String> secretFlagProblems(PipelineOptions options) {
    BlobstoreOptions b = options.as(BlobstoreOptions.class);
    List<String> p = new ArrayList<>();
    String conn = b.getAzureConnectionString();
    if (conn != null && !conn.isBlank() && !conn.contains("AccountName=" + AZURITE_ACCOUNT + ";")) {
      p.add(
          "--azureConnectionString puts the storage account key on the command line and in the "
              + "job's configuration; set the environment variable "
              + CONNECTION_STRING_ENV
              + " instead (or use --blobServiceEndpoint with an Entra identity)");
    }
    if (b.getSasToken() != null && !b.getSasToken().isBlank()) {
      p.add(
          "--sasToken puts a secret on the command line and in the job's configuration; set "
              + "the environment variable "
              + SAS_TOKEN_ENV
              + " instead");
    }
    return p;
  }

  /**
   * Makes Beam's {@code azfs://} file system use this factory when any of {@code paths} is on Azure
   * Blob and no other factory was chosen.
   */
  public static void useForAzfs(PipelineOptions options, String... paths) {
    BlobstoreOptions blob = options.as(BlobstoreOptions.class);
    boolean azfs =
        java.util.Arrays.stream(paths).anyMatch(path -> AzfsLocation.parse(path).isPresent());
    if (azfs
        && DefaultBlobstoreClientBuilderFactory.class.equals(
            blob.getBlobstoreClientFactoryClass())) {
      blob.setBlobstoreClientFactoryClass(BlobClientFactory.class);
    }
  }

  /** Which credential a client from these options presents, for messages. */
  public static String credentialName(BlobstoreOptions options) {
    if (connectionString(options) != null) {
      return "the connection string in environment variable " + CONNECTION_STRING_ENV;
    }
    if (sasToken(options) != null) {
      return "the SAS token in environment variable " + SAS_TOKEN_ENV;
    }
    return "the Entra identity of DefaultAzureCredential (AZURE_CLIENT_ID, workload or managed "
        + "identity)";
  }

  /** The options' connection string, else the environment's, else null. */
  public static String connectionString(BlobstoreOptions options) {
    String conn = options.getAzureConnectionString();
    if (conn == null || conn.isBlank()) {
      conn = System.getenv(CONNECTION_STRING_ENV);
    }
    return conn == null || conn.isBlank() ? null : conn;
  }

  private static String sasToken(BlobstoreOptions options) {
    String sas = options.getSasToken();
    if (sas == null || sas.isBlank()) {
      sas = System.getenv(SAS_TOKEN_ENV);
    }
    return sas == null || sas.isBlank() ? null : sas;
  }
}
