package org.iotbeam.pipelines.common;

import java.util.List;
import org.iotbeam.domain.InvalidConfigException;

/** Flags or files that cannot work, every problem listed, each saying what to fix. */
public class InvalidOptionsException extends InvalidConfigException {
  public InvalidOptionsException(String what, List<String> problems) {
    super(what, problems);
  }
}
