package org.iotbeam.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command lines a Markdown file shows: the lines of its code blocks (fenced without a language
 * or with bash/sh/shell/console, or indented by four spaces) that start with a command, joined over
 * trailing backslashes, split into words as a shell would (quotes, {@code $VAR} from earlier {@code
 * VAR=...} / {@code export} lines of the same block, {@code # comments}). Lines of other text in
 * such blocks (YAML, a directory tree) do not start with a command word and are not taken.
 * Variables hold for the rest of the file (a reader runs a page in one shell), the directory a
 * {@code cd} enters for the rest of its block.
 */
final class DocumentedCommands {
  /**
   * The first words that make a line a command (a path or an env assignment also does), or any
   * lower-case word followed by a flag, so that a tool nobody taught the test shows up.
   */
  static final Pattern COMMAND_START =
      Pattern.compile(
          "^(java|mvn|node|npm|bash|terraform|az|docker|kubectl|kubelogin|curl|cd|cp|export|"
              + "\\./\\S+|runners/scripts/\\S+|\\.\\.\\.|[A-Z_][A-Z0-9_]*=\\S*)(\\s|$)"
              + "|^[a-z][a-z0-9_.-]*\\s+-");

  private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z]*)\\s*$");

  /** One command line: where it is, its words, and the block's variables and directory so far. */
  record Line(
      Path file, int line, String text, List<String> words, Map<String, String> env, Path cwd) {
    String where() {
      return file + ":" + line;
    }
  }

  private DocumentedCommands() {}

  /** The command lines of a Markdown file; cwd starts at {@code root} in every block. */
  static List<Line> extract(Path file, Path root) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Line> out = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    Block block = null;
    boolean inFence = false;
    boolean shellFence = false;
    boolean previousBlank = true;
    for (int i = 0; i < lines.size(); i++) {
      String raw = lines.get(i);
      Matcher fence = FENCE.matcher(raw);
      if (fence.matches()) {
        inFence = !inFence;
        shellFence = inFence && fence.group(1).matches("|bash|sh|shell|console");
        block = inFence ? new Block(root, env) : null;
        previousBlank = false;
        continue;
      }
      boolean indented = !inFence && raw.startsWith("    ") && (block != null || previousBlank);
      if (inFence && !shellFence) {
        continue;
      }
      if (!inFence && !indented) {
        block = raw.isBlank() && block != null ? block : null;
        previousBlank = raw.isBlank();
        continue;
      }
      if (block == null) {
        block = new Block(root, env);
      }
      previousBlank = false;
      String text = raw.strip();
      int first = i;
      while (text.endsWith("\\") && i + 1 < lines.size()) {
        text = text.substring(0, text.length() - 1) + " " + lines.get(++i).strip();
      }
      if (text.startsWith("$ ")) {
        text = text.substring(2);
      }
      if (!COMMAND_START.matcher(text).find()) {
        continue;
      }
      List<String> words = words(text, block.env);
      Path shown =
          file.toAbsolutePath().startsWith(root)
              ? root.relativize(file.toAbsolutePath())
              : file.getFileName();
      out.add(new Line(shown, first + 1, text, words, Map.copyOf(block.env), block.cwd));
      block.after(words);
    }
    return out;
  }

  /** Variables and directory of one code block, as a shell running it would have them. */
  private static final class Block {
    final Map<String, String> env;
    Path cwd;

    Block(Path root, Map<String, String> env) {
      this.cwd = root;
      this.env = env;
    }

    void after(List<String> words) {
      if (words.isEmpty()) {
        return;
      }
      if (words.get(0).equals("cd") && words.size() > 1) {
        cwd = cwd.resolve(words.get(1)).normalize();
      }
      List<String> assignments =
          words.get(0).equals("export")
              ? words.subList(1, words.size())
              : words.stream().allMatch(w -> w.matches("[A-Z_][A-Z0-9_]*=.*")) ? words : List.of();
      for (String a : assignments) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          env.put(a.substring(0, eq), a.substring(eq + 1));
        }
      }
    }
  }

  /** Splits a line into words as a POSIX shell would, expanding $VAR / ${VAR} from {@code env}. */
  static List<String> words(String text, Map<String, String> env) {
    List<String> words = new ArrayList<>();
    StringBuilder w = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (w != null) {
          words.add(w.toString());
          w = null;
        }
        continue;
      }
      if (c == '#' && w == null) {
        break; // a comment
      }
      if (w == null) {
        w = new StringBuilder();
      }
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ' in: " + text);
        }
        w.append(text, i + 1, end);
        i = end;
      } else if (c == '"') {
        int j = i + 1;
        for (; j < text.length() && text.charAt(j) != '"'; j++) {
          char d = text.charAt(j);
          if (d == '\\' && j + 1 < text.length()) {
            w.append(text.charAt(++j));
          } else if (d == '$') {
            j = variable(text, j, env, w) - 1;
          } else {
            w.append(d);
          }
        }
        if (j >= text.length()) {
          throw new IllegalArgumentException("unterminated \" in: " + text);
        }
        i = j;
      } else if (c == '\\' && i + 1 < text.length()) {
        w.append(text.charAt(++i));
      } else if (c == '$') {
        i = variable(text, i, env, w) - 1;
      } else {
        w.append(c);
      }
    }
    if (w != null) {
      words.add(w.toString());
    }
    return words;
  }

  /** Appends the value of the variable at {@code i} ($X or ${X}); returns the index after it. */
  private static int variable(String text, int i, Map<String, String> env, StringBuilder w) {
    Matcher m =
        Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)\\}|([A-Za-z_][A-Za-z0-9_]*))")
            .matcher(text)
            .region(i, text.length());
    if (!m.lookingAt()) {
      w.append('$');
      return i + 1;
    }
    String name = m.group(1) != null ? m.group(1) : m.group(2);
    w.append(env.getOrDefault(name, m.group()));
    return m.end();
  }
}
