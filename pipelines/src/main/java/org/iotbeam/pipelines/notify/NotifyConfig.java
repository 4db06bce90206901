package org.iotbeam.pipelines.notify;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.iotbeam.domain.InvalidConfigException;
import org.iotbeam.domain.notify.ChannelKind;
import org.iotbeam.domain.notify.NotificationRoutes;
import org.iotbeam.pipelines.common.InvalidOptionsException;
import org.iotbeam.pipelines.common.ProcessingConfigs;

/**
 * Everything the notification step needs, checked before the pipeline is built: the routes, and the
 * settings of each channel the routes use. {@link #fromOptions} reports every problem of the routes
 * file and the flags at once.
 */
public record NotifyConfig(
    NotificationRoutes routes,
    SmtpSettings smtp,
    SmsSettings sms,
    int maxAttempts,
    long initialBackoffMs,
    long timeoutMs,
    String ledgerDir)
    implements Serializable {

  /**
   * The configuration the flags describe, or empty without {@code --notificationRoutesFile}.
   *
   * @param env the environment (System::getenv), for the secrets' presence
   * @throws InvalidOptionsException listing every problem
   */
  public static Optional<NotifyConfig> fromOptions(NotifyOptions o, Function<String, String> env) {
    String file = o.getNotificationRoutesFile();
    if (file == null || file.isEmpty()) {
      return Optional.empty();
    }
    List<String> problems = new ArrayList<>();
    NotificationRoutes routes = null;
    try {
      routes =
          NotificationRoutes.parse(ProcessingConfigs.read(file, "--notificationRoutesFile"), file);
    } catch (InvalidConfigException e) {
      problems.addAll(e.problems().stream().map(p -> file + ": " + p).toList());
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    Integer attempts = o.getNotificationMaxAttempts();
    if (attempts == null || attempts < 1 || attempts > 10) {
      problems.add("--notificationMaxAttempts must be 1..10, was " + attempts);
    }
    Long backoff = o.getNotificationInitialBackoffMs();
    if (backoff == null || backoff < 0) {
      problems.add("--notificationInitialBackoffMs must be zero or more, was " + backoff);
    }
    Long timeout = o.getNotificationTimeoutMs();
    if (timeout == null || timeout <= 0) {
      problems.add("--notificationTimeoutMs must be positive, was " + timeout);
    }
    String ledger = o.getNotificationLedger() == null ? "" : o.getNotificationLedger();
    if (!ledger.isEmpty()) {
      ledgerProblem(ledger).ifPresent(problems::add);
    }
    Set<ChannelKind> used = routes == null ? Set.of() : routes.channels();
    SmtpSettings smtp =
        used.contains(ChannelKind.EMAIL)
            ? smtp(o, env, timeout == null ? 0 : timeout, problems)
            : null;
    SmsSettings sms =
        used.contains(ChannelKind.SMS)
            ? sms(o, env, timeout == null ? 0 : timeout, problems)
            : null;
    if (!problems.isEmpty()) {
      throw new InvalidOptionsException("notifications cannot start", problems);
    }
    return Optional.of(new NotifyConfig(routes, smtp, sms, attempts, backoff, timeout, ledger));
  }

  /** The problems of {@link #fromOptions}, for a caller that lists them with its own. */
  public static List<String> problems(NotifyOptions o) {
    try {
      fromOptions(o, System::getenv);
      return List.of();
    } catch (InvalidOptionsException e) {
      return e.problems();
    }
  }

  private static SmtpSettings smtp(
      NotifyOptions o, Function<String, String> env, long timeout, List<String> problems) {
    String why = "the routes use the email channel: ";
    String host = o.getSmtpHost();
    if (host == null || host.isBlank()) {
      problems.add(why + "--smtpHost is required");
    }
    Integer port = o.getSmtpPort();
    if (port == null || port < 1 || port > 65535) {
      problems.add("--smtpPort must be 1..65535, was " + port);
    }
    String from = o.getSmtpFrom();
    if (from == null || from.isBlank()) {
      problems.add(why + "--smtpFrom (the sender address) is required");
    } else {
      ChannelKind.EMAIL.recipientProblem(from).ifPresent(p -> problems.add("--smtpFrom: " + p));
    }
    boolean user = present(env.apply(SmtpSettings.USERNAME_ENV));
    boolean secret = present(env.apply(SmtpSettings.PASSWORD_ENV));
    if (user != secret) {
      problems.add(
          "env "
              + SmtpSettings.USERNAME_ENV
              + " and "
              + SmtpSettings.PASSWORD_ENV
              + " go together: set both (authenticated relay) or neither");
    }
    boolean startTls = !Boolean.FALSE.equals(o.getSmtpStartTls());
    if (!startTls && (user || secret)) {
      problems.add(
          "--smtpStartTls=false with SMTP credentials in the environment: credentials "
              + "are only sent over STARTTLS");
    }
    String pem = "";
    String certs = o.getSmtpTrustedCertificates();
    if (certs != null && !certs.isEmpty()) {
      try {
        pem =
            new String(
                ProcessingConfigs.read(certs, "--smtpTrustedCertificates"),
                StandardCharsets.US_ASCII);
        SmtpSettings.certificates(pem);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      } catch (java.security.cert.CertificateException e) {
        problems.add(
            "--smtpTrustedCertificates=" + certs + " holds no PEM certificate: " + e.getMessage());
      }
    }
    return new SmtpSettings(host, port == null ? 0 : port, from, startTls, pem, timeout);
  }

  private static SmsSettings sms(
      NotifyOptions o, Function<String, String> env, long timeout, List<String> problems) {
    String from = o.getSmsFrom();
    if (from == null || from.isBlank()) {
      problems.add(
          "the routes use the sms channel: --smsFrom (the sender number or id) is " + "required");
    }
    String cs = SmsSettings.connectionStringProblem(env.apply(SmsSettings.CONNECTION_ENV));
    if (cs != null) {
      problems.add("the routes use the sms channel: " + cs);
    }
    return new SmsSettings(from, timeout);
  }

  private static Optional<String> ledgerProblem(String dir) {
    if (dir.contains("://")) {
      return Optional.of(
          "--notificationLedger="
              + dir
              + ": a directory path is needed (a "
              + "shared mount on a cluster); object stores lack the atomic create it relies on");
    }
    try {
      Path p = Path.of(dir);
      Files.createDirectories(p);
      if (!Files.isWritable(p)) {
        return Optional.of("--notificationLedger=" + dir + " is not writable");
      }
      return Optional.empty();
    } catch (java.io.IOException | RuntimeException e) {
      return Optional.of("--notificationLedger=" + dir + " cannot be created: " + e.getMessage());
    }
  }

  private static boolean present(String v) {
    return v != null && !v.isEmpty();
  }
}
