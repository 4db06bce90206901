package org.iotbeam.pipelines.azure.cosmos;

import java.time.Duration;

/** Waiting, behind an interface so tests replace the clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
