package org.iotbeam.pipelines.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import org.iotbeam.transforms.ContentHash;

/**
 * A {@link SendLedger} in a directory: one small file per key, named by the key's hash, created
 * atomically ({@code O_CREAT|O_EXCL}) by the claim, and rewritten with the outcome (write to a
 * temporary file, then an atomic rename). Works on one machine and on a shared file system that
 * honours exclusive create (NFS v3+, Azure Files SMB).
 *
 * <p>File content: {@code <status>\n<key>\n<time>}. Files are never deleted by the pipeline; an
 * operator may prune those older than the longest replay expected.
 */
public final class DirectoryLedger implements SendLedger {
  private static final String CLAIMED = "claimed";
  private static final String SENT = "sent";
  private static final String FAILED = "failed";

  private final Path dir;

  public DirectoryLedger(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  @Override
  public Claim claim(String key) throws IOException {
    Path f = file(key);
    Files.createDirectories(f.getParent());
    try {
      Files.write(
          f,
          content(CLAIMED, key),
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return Claim.NEW;
    } catch (FileAlreadyExistsException e) {
      String status =
          Files.readAllLines(f, StandardCharsets.UTF_8).stream().findFirst().orElse(CLAIMED);
      switch (status) {
        case SENT:
          return Claim.SENT;
        case FAILED:
          record(key, CLAIMED); // retried: claimed again
          return Claim.NEW;
        default:
          return Claim.IN_DOUBT;
      }
    }
  }

  @Override
  public void sent(String key) throws IOException {
    record(key, SENT);
  }

  @Override
  public void failed(String key) throws IOException {
    record(key, FAILED);
  }

  private void record(String key, String status) throws IOException {
    Path f = file(key);
    Path tmp = Files.createTempFile(f.getParent(), ".tmp-", "");
    Files.write(tmp, content(status, key));
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Path file(String key) {
    String h = ContentHash.hex(key.getBytes(StandardCharsets.UTF_8));
    return dir.resolve(h.substring(0, 2)).resolve(h);
  }

  private static byte[] content(String status, String key) {
    return (status + "\n" + key + "\n" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
