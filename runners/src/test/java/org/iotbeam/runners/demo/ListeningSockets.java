package org.iotbeam.runners.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, as the kernel reports them: the {@code LISTEN} entries of
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} whose inode is one of this process's file
 * descriptors ({@code /proc/self/fd}). Linux only.
 */
final class ListeningSockets {
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
  private static final String LISTEN = "0A";

  /** One listening socket: its address as text (IPv4 dotted or IPv6 hex) and port. */
  record Listener(String address, int port, boolean loopback) {
    @Override
    public String toString() {
      return address + ":" + port;
    }
  }

  private ListeningSockets() {}

  static List<Listener> ofThisProcess() {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(
          fd -> {
            try {
              Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
              if (m.matches()) {
                inodes.add(m.group(1));
              }
            } catch (IOException e) {
              // closed meanwhile
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Listener> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(table));
      } catch (IOException e) {
        continue; // no IPv6
      }
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals(LISTEN) && inodes.contains(f[9])) {
          String[] local = f[1].split(":");
          out.add(parse(local[0], Integer.parseInt(local[1], 16)));
        }
      }
    }
    return out;
  }

  /** The kernel prints addresses as 32-bit words in host (little-endian) order. */
  static Listener parse(String hex, int port) {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    boolean loopback;
    String text;
    if (b.length == 4) {
      text = (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
      loopback = (b[0] & 0xff) == 127;
    } else {
      StringBuilder s = new StringBuilder();
      for (byte x : b) {
        s.append(String.format("%02x", x & 0xff));
      }
      String hexText = s.toString();
      boolean v6Loopback = hexText.equals("00000000000000000000000000000001");
      boolean mapped = hexText.startsWith("00000000000000000000ffff");
      loopback = v6Loopback || (mapped && (b[12] & 0xff) == 127);
      text =
          v6Loopback
              ? "::1"
              : hexText.equals("0".repeat(32))
                  ? "::"
                  : mapped
                      ? "::ffff:"
                          + (b[12] & 0xff)
                          + "."
                          + (b[13] & 0xff)
                          + "."
                          + (b[14] & 0xff)
                          + "."
                          + (b[15] & 0xff)
                      : hexText;
    }
    return new Listener(text, port, loopback);
  }
}
