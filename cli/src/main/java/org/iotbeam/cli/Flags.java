package org.iotbeam.cli;

import java.beans.Introspector;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.Validation;

/**
 * The one flag style of every {@code iotbeam} command: Beam pipeline options. A command declares
 * its flags as a {@link PipelineOptions} interface (getter + setter per flag, {@link Description},
 * {@link Default}, {@link Validation.Required}); {@link PipelineOptionsFactory} parses them.
 *
 * <p>On top of Beam's parser:
 *
 * <ul>
 *   <li>{@code --name value} is taken as {@code --name=value} (Beam only knows the latter), except
 *       for boolean flags, where {@code --name} alone means true;
 *   <li>every problem is collected and reported at once ({@link BadFlags}): unknown flags (with a
 *       suggestion, e.g. {@code --window-minutes} -> {@code --windowMinutes}), values that do not
 *       parse, flags given twice, missing required flags, and the command's own {@link Checks};
 *   <li>{@link #printHelp} lists a command's own flags (not Beam's base options).
 * </ul>
 *
 * <p>A tool command ({@link #parse}) accepts only the flags its interface declares; a pipeline
 * ({@link #checkPipeline}) also those of every registered options interface (the runner's).
 */
public final class Flags {
  /** The exit code for bad flags. */
  public static final int BAD_FLAGS = 2;

  /** A command's own checks of its parsed flags: one problem per thing to fix. */
  @FunctionalInterface
  public interface Checks<T> {
    void check(T options, List<String> problems);
  }

  /**
   * The command's default of a flag, over the interface's {@code @Default}: for a flag that a
   * pipeline's or the runner's options interface also declares. Beam wants one property's
   * {@code @Default} the same in every registered interface, so such a flag repeats theirs, and
   * this annotation says what the command uses when the flag is not given.
   */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
  public @interface CommandDefault {
    String value();
  }

  /** What a command does with its checked flags; returns the exit code. */
  @FunctionalInterface
  public interface Body<T> {
    int run(T options) throws Exception;
  }

  /** Every problem with a command line, one per line in the message. */
  public static final class BadFlags extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public BadFlags(List<String> problems) {
      super(String.join("\n", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** One flag: the getter Beam reads it through. */
  private record Property(String name, Method getter) {
    Class<?> type() {
      return getter.getReturnType();
    }

    boolean isBoolean() {
      return type() == boolean.class || type() == Boolean.class;
    }

    boolean repeatable() {
      return type().isArray() || Collection.class.isAssignableFrom(type());
    }
  }

  private Flags() {}

  /** True when the command line asks for help: {@code --help} or {@code -h} anywhere. */
  public static boolean wantsHelp(String... args) {
    return Arrays.stream(args)
        .anyMatch(a -> a.equals("--help") || a.equals("-h") || a.startsWith("--help="));
  }

  /**
   * Parses a tool command's flags (only those {@code iface} declares) and runs its checks; throws
   * {@link BadFlags} listing every problem.
   */
  public static <T extends PipelineOptions> T parse(
      Class<T> iface, Checks<? super T> checks, String... args) {
    Map<String, Property> known = properties(List.of(iface), false);
    List<String> problems = new ArrayList<>();
    List<String> good = new ArrayList<>();
    List<String> badNames = new ArrayList<>();
    check(iface, known, args, problems, good, badNames);
    for (Property p : known.values()) {
      CommandDefault d = p.getter().getAnnotation(CommandDefault.class);
      if (d != null
          && good.stream().noneMatch(a -> a.startsWith("--" + p.name() + "="))
          && !badNames.contains(p.name())) {
        good.add("--" + p.name() + "=" + d.value());
      }
    }
    T options = PipelineOptionsFactory.fromArgs(good.toArray(new String[0])).as(iface);
    if (checks != null) {
      List<String> own = new ArrayList<>();
      checks.check(options, own);
      // a check of a flag whose value did not parse would be about its default: leave it out
      for (String p : own) {
        if (badNames.stream().noneMatch(n -> mentions(p, n))) {
          problems.add(p);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new BadFlags(problems);
    }
    return options;
  }

  /**
   * Checks a pipeline's flags: those of {@code iface} and of every registered options interface
   * (register {@code iface} first). Returns the command line in Beam's form ({@code --name=value});
   * throws {@link BadFlags} listing every problem. The pipeline's own checks are its business.
   */
  public static String[] checkPipeline(Class<? extends PipelineOptions> iface, String... args) {
    List<Class<?>> all = new ArrayList<>(PipelineOptionsFactory.getRegisteredOptions());
    all.add(0, iface);
    Map<String, Property> known = properties(all, true);
    List<String> problems = new ArrayList<>();
    List<String> good = new ArrayList<>();
    check(iface, known, args, problems, good, new ArrayList<>());
    if (!problems.isEmpty()) {
      throw new BadFlags(problems);
    }
    return good.toArray(new String[0]);
  }

  /**
   * Runs a tool command: {@code --help} prints {@link #printHelp} (exit 0); bad flags print every
   * problem (exit {@link #BAD_FLAGS}); otherwise {@code body} runs with the parsed flags.
   */
  public static <T extends PipelineOptions> int run(
      String command,
      String about,
      Class<T> iface,
      Checks<? super T> checks,
      String[] args,
      PrintStream out,
      PrintStream err,
      Body<T> body) {
    if (wantsHelp(args)) {
      printHelp(out, command, about, iface);
      return 0;
    }
    T options;
    try {
      options = parse(iface, checks, args);
    } catch (BadFlags e) {
      report(err, command, e);
      return BAD_FLAGS;
    }
    try {
      return body.run(options);
    } catch (BadFlags e) {
      report(err, command, e);
      return BAD_FLAGS;
    } catch (Exception e) {
      err.println(command + ": failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  /** Prints every problem and where to read about the flags. */
  public static void report(PrintStream err, String command, BadFlags e) {
    List<String> problems = e.problems();
    err.println(
        command
            + ": "
            + (problems.size() == 1 ? "1 problem" : problems.size() + " problems")
            + " with the flags:");
    problems.forEach(p -> err.println("  " + p));
    err.println("flags are --name=value (or --name value); see: " + command + " --help");
  }

  /**
   * The flags {@code iface} declares (not Beam's base options), required ones first, then by name,
   * with their description and default.
   */
  public static void printHelp(
      PrintStream out, String command, String about, Class<? extends PipelineOptions> iface) {
    out.println(
        "usage: "
            + command
            + " [--flag=value ...]   (--flag value works too; a boolean "
            + "flag alone means true)");
    if (about != null && !about.isEmpty()) {
      out.println();
      out.println(about);
    }
    out.println();
    List<Property> props = new ArrayList<>(properties(List.of(iface), false).values());
    props.sort(Comparator.comparing((Property p) -> !required(p)).thenComparing(Property::name));
    for (Property p : props) {
      out.println(
          "  --"
              + p.name()
              + "=<"
              + typeName(p.type())
              + ">"
              + (required(p) ? "   (required)" : ""));
      Description d = p.getter().getAnnotation(Description.class);
      if (d != null) {
        out.println("      " + d.value().replace("\n", "\n      "));
      }
      String def = defaultValue(p.getter());
      if (def != null) {
        out.println("      Default: " + def);
      }
    }
    out.println("  --help   this text");
  }

  // ---------------------------------------------------------------------------------------------

  private static void check(
      Class<?> iface,
      Map<String, Property> known,
      String[] args,
      List<String> problems,
      List<String> good,
      List<String> badNames) {
    Map<String, List<String>> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        problems.add("unexpected argument '" + a + "' (flags are --name=value)");
        continue;
      }
      int eq = a.indexOf('=');
      String name = a.substring(2, eq < 0 ? a.length() : eq);
      Property p = known.get(name);
      String value;
      if (eq >= 0) {
        value = a.substring(eq + 1);
      } else if (p != null && p.isBoolean()) {
        value = "true";
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = null;
      }
      if (p == null) {
        problems.add("unknown flag --" + name + suggestion(name, known));
        badNames.add(name);
        continue;
      }
      if (value == null) {
        problems.add("--" + name + " needs a value (--" + name + "=<" + typeName(p.type()) + ">)");
        badNames.add(name);
        continue;
      }
      given.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    for (Map.Entry<String, List<String>> e : given.entrySet()) {
      String name = e.getKey();
      Property p = known.get(name);
      List<String> values = e.getValue();
      if (values.size() > 1 && !p.repeatable()) {
        problems.add(
            "--" + name + " is given " + values.size() + " times (" + values + "); give it once");
        badNames.add(name);
        continue;
      }
      String[] one = values.stream().map(v -> "--" + name + "=" + v).toArray(String[]::new);
      try {
        // Beam converts the values when it builds the options: a value that does not convert
        // fails here, on its own, so that every bad value is reported
        PipelineOptionsFactory.fromArgs(one)
            .as(p.getter().getDeclaringClass().asSubclass(PipelineOptions.class));
        good.addAll(Arrays.asList(one));
      } catch (RuntimeException ex) {
        problems.add("--" + name + "=" + String.join(",", values) + ": " + why(p.type(), ex));
        badNames.add(name);
      }
    }
    requiredProblems(iface, known, given.keySet(), badNames, problems);
  }

  private static void requiredProblems(
      Class<?> iface,
      Map<String, Property> known,
      Collection<String> given,
      List<String> badNames,
      List<String> problems) {
    Map<String, List<String>> groups = new TreeMap<>();
    for (Property p : properties(List.of(iface), false).values()) {
      Validation.Required r = p.getter().getAnnotation(Validation.Required.class);
      if (r == null || given.contains(p.name()) || badNames.contains(p.name())) {
        continue;
      }
      if (r.groups().length == 0) {
        problems.add("--" + p.name() + " is required");
      } else {
        for (String g : r.groups()) {
          groups.computeIfAbsent(g, k -> new ArrayList<>()).add(p.name());
        }
      }
    }
    for (List<String> members : groups.values()) {
      boolean anyGiven =
          known.values().stream()
              .anyMatch(p -> members.contains(p.name()) && given.contains(p.name()));
      if (!anyGiven) {
        problems.add("one of --" + String.join(", --", members) + " is required");
      }
    }
  }

  private static boolean required(Property p) {
    return p.getter().isAnnotationPresent(Validation.Required.class);
  }

  /** The flags of these interfaces; Beam's own ones only when {@code withBeam}. */
  private static Map<String, Property> properties(List<Class<?>> ifaces, boolean withBeam) {
    Map<String, Property> out = new TreeMap<>();
    for (Class<?> iface : ifaces) {
      for (Method m : iface.getMethods()) {
        String n = m.getName();
        if (m.getParameterCount() != 0
            || m.isDefault()
            || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        String property;
        if (n.startsWith("get") && n.length() > 3) {
          property = n.substring(3);
        } else if (n.startsWith("is")
            && n.length() > 2
            && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
          property = n.substring(2);
        } else {
          continue;
        }
        if (!hasSetter(iface, property, m.getReturnType())) {
          continue;
        }
        boolean beam = m.getDeclaringClass().getName().startsWith("org.apache.beam.");
        if (beam && !withBeam) {
          continue;
        }
        String name = Introspector.decapitalize(property);
        out.putIfAbsent(name, new Property(name, m));
      }
    }
    return out;
  }

  private static boolean hasSetter(Class<?> iface, String property, Class<?> type) {
    try {
      iface.getMethod("set" + property, type);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static String typeName(Class<?> t) {
    if (t.isEnum()) {
      return String.join(" | ", Arrays.stream(t.getEnumConstants()).map(Object::toString).toList());
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "integer";
    }
    if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
      return "number";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true | false";
    }
    if (Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "value, repeatable or comma-separated";
    }
    return t.getSimpleName();
  }

  private static String why(Class<?> t, RuntimeException e) {
    if (t.isEnum()) {
      return "not one of " + typeName(t);
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "not an integer";
    }
    if (t == Double.class || t == double.class || t == Float.class || t == float.class) {
      return "not a number";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "not true or false";
    }
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static String defaultValue(Method getter) {
    CommandDefault c = getter.getAnnotation(CommandDefault.class);
    if (c != null) {
      return c.value();
    }
    Default.String s = getter.getAnnotation(Default.String.class);
    if (s != null) {
      return s.value().isEmpty() ? null : s.value();
    }
    Default.Integer i = getter.getAnnotation(Default.Integer.class);
    if (i != null) {
      return String.valueOf(i.value());
    }
    Default.Long l = getter.getAnnotation(Default.Long.class);
    if (l != null) {
      return String.valueOf(l.value());
    }
    Default.Double d = getter.getAnnotation(Default.Double.class);
    if (d != null) {
      return String.valueOf(d.value());
    }
    Default.Boolean b = getter.getAnnotation(Default.Boolean.class);
    if (b != null) {
      return String.valueOf(b.value());
    }
    Default.Enum en = getter.getAnnotation(Default.Enum.class);
    if (en != null) {
      return en.value();
    }
    return null;
  }

  /** Whether a problem is about flag {@code name} ({@code --name} as a whole word). */
  private static boolean mentions(String problem, String name) {
    return Pattern.compile("--" + Pattern.quote(name) + "(?![A-Za-z0-9])").matcher(problem).find();
  }

  /** " (did you mean --x?)" for a misspelt or kebab-case flag, else "". */
  private static String suggestion(String name, Map<String, Property> known) {
    String camel = kebabToCamel(name);
    if (known.containsKey(camel)) {
      return " (did you mean --" + camel + "?)";
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known.keySet()) {
      int d = distance(camel.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 4)
        ? " (did you mean --" + best + "?)"
        : "";
  }

  /** {@code window-minutes} -> {@code windowMinutes}. */
  public static String kebabToCamel(String name) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : name.toCharArray()) {
      if (c == '-' || c == '_') {
        up = b.length() > 0;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
