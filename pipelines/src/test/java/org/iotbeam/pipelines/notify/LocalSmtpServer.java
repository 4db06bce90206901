package org.iotbeam.pipelines.notify;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.iotbeam.pipelines.TestTls;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A real SMTP server in the test JVM (SubEthaSMTP) on a free 127.0.0.1 port that requires STARTTLS
 * before anything else and AUTH (PLAIN/LOGIN) with one user, and keeps what it receives as parsed
 * MIME messages. GreenMail, the obvious choice, speaks no STARTTLS (its issue #135), and STARTTLS
 * on 587 is what relays such as smtp.azurecomm.net require. {@link #rejectWith} makes it refuse
 * messages, as a relay in trouble does.
 */
final class LocalSmtpServer implements AutoCloseable {
  record Received(String envelopeFrom, String envelopeTo, MimeMessage message) {}

  private final SMTPServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Predicate<String> reject = to -> false;
  private volatile int rejectCode;

  private LocalSmtpServer(SSLContext tls, String user, String secret) {
    SMTPServer.Builder b =
        SMTPServer.port(0)
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .hostName("localhost")
            .messageHandler(
                (ctx, from, to, data) -> {
                  if (reject.test(to)) {
                    throw new RejectException(rejectCode, "rejected by the test");
                  }
                  try {
                    received.add(
                        new Received(
                            from,
                            to,
                            new MimeMessage(
                                Session.getInstance(new Properties()),
                                new ByteArrayInputStream(data))));
                  } catch (jakarta.mail.MessagingException e) {
                    throw new RejectException(554, "unparseable: " + e.getMessage());
                  }
                });
    if (tls != null) {
      b.enableTLS().requireTLS().startTlsSocketFactory(tls);
    }
    if (user != null) {
      b.requireAuth()
          .authenticationHandlerFactory(
              new EasyAuthenticationHandlerFactory(
                  (u, s, ctx) -> {
                    if (!user.equals(u) || !secret.equals(s)) {
                      throw new LoginFailedException("bad credentials");
                    }
                  }));
    }
    this.server = b.build();
  }

  /** STARTTLS required (with {@code tls}'s certificate) and AUTH as {@code user}. */
  static LocalSmtpServer start(TestTls tls, String user, String secret) throws Exception {
    LocalSmtpServer s = new LocalSmtpServer(tls.serverContext(), user, secret);
    s.server.start();
    return s;
  }

  /** A relay without TLS or AUTH: a client that requires STARTTLS must refuse it. */
  static LocalSmtpServer startPlain() {
    LocalSmtpServer s = new LocalSmtpServer(null, null, null);
    s.server.start();
    return s;
  }

  int port() {
    return server.getPortAllocated();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Refuses messages to recipients matching {@code to} with {@code code} (4xx or 5xx). */
  void rejectWith(int code, Predicate<String> to) {
    this.rejectCode = code;
    this.reject = to;
  }

  @Override
  public void close() {
    server.stop();
  }
}
