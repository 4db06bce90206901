package org.iotbeam.pipelines.azure.blob;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobStorageException;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Checks made before a pipeline that reads or writes {@code azfs://} runs, so a typo in a container
 * name fails in a second with a sentence rather than deep inside a job. Beam's Azure file system
 * never creates containers: they are infrastructure (Terraform).
 */
public final class AzureBlobChecks {
  private AzureBlobChecks() {}

  /**
   * @throws IllegalArgumentException if {@code spec} is {@code azfs://} and its container does not
   *     exist, or cannot be reached
   */
  public static void requireContainer(String spec, PipelineOptions options) {
    AzfsLocation loc = AzfsLocation.parse(spec).orElse(null);
    if (loc == null) {
      return;
    }
    BlobServiceClient client =
        BlobClientFactory.builder(options.as(BlobstoreOptions.class)).buildClient();
    boolean exists;
    try {
      exists = client.getBlobContainerClient(loc.container()).exists();
    } catch (BlobStorageException e) {
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        throw new IllegalArgumentException(
            "Azure Storage account '"
                + loc.account()
                + "' ("
                + client.getAccountUrl()
                + ") refused "
                + BlobClientFactory.credentialName(options.as(BlobstoreOptions.class))
                + " (HTTP "
                + e.getStatusCode()
                + " "
                + e.getErrorCode()
                + "): check that it belongs to this "
                + "account and was not rotated or expired, and that it may read and write container '"
                + loc.container()
                + "' (Storage Blob Data Contributor)",
            e);
      }
      throw new IllegalArgumentException(
          "cannot reach container '"
              + loc.container()
              + "' in account '"
              + loc.account()
              + "' ("
              + client.getAccountUrl()
              + "): "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot reach container '"
              + loc.container()
              + "' in account '"
              + loc.account()
              + "' ("
              + client.getAccountUrl()
              + "): "
              + e.getMessage(),
          e);
    }
    if (!exists) {
      throw new IllegalArgumentException(
          "container '"
              + loc.container()
              + "' does not exist in account '"
              + loc.account()
              + "' ("
              + client.getAccountUrl()
              + "); create it (terraform/modules/storage) or fix the path "
              + spec);
    }
  }
}
