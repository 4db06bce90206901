package org.iotbeam.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.iotbeam.domain.alerting.AlertRules;
import org.iotbeam.domain.registry.DeviceRegistry;

/** The rules and registry shipped in the jar: what a pipeline uses when it is given none. */
public final class BundledConfig {
  public static final String RULES = "iotbeam/default-rules.json";
  public static final String REGISTRY = "iotbeam/default-device-registry.json";

  private BundledConfig() {}

  public static AlertRules rules() {
    return AlertRules.parse(read(RULES), "classpath:" + RULES);
  }

  public static DeviceRegistry registry() {
    return DeviceRegistry.parse(read(REGISTRY), "classpath:" + REGISTRY);
  }

  public static byte[] read(String resource) {
    try (InputStream in = BundledConfig.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
