package org.iotbeam.pipelines.notify;

import java.io.Serializable;

/**
 * The SMS channel's sender. The connection string ({@code endpoint=https://...;accesskey=...}) is
 * not part of it: each worker reads {@value #CONNECTION_ENV} from its own environment.
 */
public record SmsSettings(String from, long timeoutMs) implements Serializable {
  public static final String CONNECTION_ENV = "ACS_CONNECTION_STRING";

  /** Why a connection string cannot work, without echoing it (it holds the access key). */
  static String connectionStringProblem(String cs) {
    if (cs == null || cs.isBlank()) {
      return "env " + CONNECTION_ENV + " is not set";
    }
    String lower = cs.toLowerCase(java.util.Locale.ROOT);
    if (!lower.contains("endpoint=https://") || !lower.contains("accesskey=")) {
      return "env "
          + CONNECTION_ENV
          + " is not an Azure Communication Services connection "
          + "string (endpoint=https://<resource>.communication.azure.com/;accesskey=<key>)";
    }
    return null;
  }
}
