package org.iotbeam.pipelines.azure.blob;

import java.util.Optional;

/** The parts of an {@code azfs://account/container/path} address. */
public record AzfsLocation(String account, String container, String path) {
  public static final String SCHEME = "azfs://";

  /** Empty for a path that is not {@code azfs://}. */
  public static Optional<AzfsLocation> parse(String spec) {
    if (spec == null || !spec.startsWith(SCHEME)) {
      return Optional.empty();
    }
    String rest = spec.substring(SCHEME.length());
    String[] parts = rest.split("/", 3);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          spec + " is not azfs://ACCOUNT/CONTAINER[/PATH]: the account and container are needed");
    }
    return Optional.of(new AzfsLocation(parts[0], parts[1], parts.length == 3 ? parts[2] : ""));
  }
}
