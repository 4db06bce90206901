package org.iotbeam.pipelines.azure.blob;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * The blob client behind Beam's {@code azfs://} file system, for {@code
 * --blobstoreClientFactoryClass=org.iotbeam.pipelines.azure.blob.BlobClientFactory}.
 *
 * <p>Two ways to connect, in this order:
 *
 * <ol>
 *   <li><b>A connection string</b>: {@code --azureConnectionString}, else the environment variable
 *       {@value #CONNECTION_STRING_ENV}. Nothing else is added to the builder. This is how Azurite
 *       is reached: Beam's default factory also adds the options' bearer-token credential, and the
 *       Azure SDK refuses a bearer token over plain {@code http://}.
 *   <li><b>Microsoft Entra ID</b> (production): {@code --blobServiceEndpoint=https://ACCOUNT.blob.core.windows.net}
 *       and {@code DefaultAzureCredential} (managed identity on AKS, workload identity, or {@code az
 *       login} on a workstation); the identity needs "Storage Blob Data Reader" on the archive and
 *       "Storage Blob Data Contributor" on the output containers.
 * </ol>
 */
public class BlobClientFactory implements BlobstoreClientBuilderFactory {
  public static final String CONNECTION_STRING_ENV = "AZURE_STORAGE_CONNECTION_STRING";

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
      throw new IllegalArgumentException("no Azure Blob connection: pass --azureConnectionString "
          + "(or set " + CONNECTION_STRING_ENV + "), or --blobServiceEndpoint="
          + "https://ACCOUNT.blob.core.windows.net to sign in with DefaultAzureCredential");
    }
    BlobServiceClientBuilder b = new BlobServiceClientBuilder().endpoint(endpoint);
    if (options.getSasToken() != null && !options.getSasToken().isBlank()) {
      return b.sasToken(options.getSasToken());
    }
    return b.credential(new DefaultAzureCredentialBuilder().build());
  }

  /** The options' connection string, else the environment's, else null. */
  public static String connectionString(BlobstoreOptions options) {
    String conn = options.getAzureConnectionString();
    if (conn == null || conn.isBlank()) {
      conn = System.getenv(CONNECTION_STRING_ENV);
    }
    return conn == null || conn.isBlank() ? null : conn;
  }
}
