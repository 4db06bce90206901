package org.iotbeam.pipelines.batch;

import com.google.protobuf.Message;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Test fixtures of the batch package for tests in other packages. */
public final class BackfillTestSupport {
  private BackfillTestSupport() {}

  /** {@link ArchiveFixture#standard}: relative path -> gzip'd archive file. */
  public static Map<String, byte[]> standardArchive(int minutes) {
    return ArchiveFixture.standard(minutes).files();
  }

  public static <T extends Message> List<T> readOutputs(
      String base, String kind, Supplier<? extends Message.Builder> builder) throws IOException {
    return OutputFiles.read(base, kind, builder);
  }
}
