package org.iotbeam.pipelines.notify;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.iotbeam.pipelines.TestTls;

/**
 * Stands in for Azure Communication Services' SMS endpoint on https://127.0.0.1:port (a self-signed
 * certificate only the test's client trusts): records every request the SDK sends, checks its
 * HMAC-SHA256 signature against the access key as the service does, and answers as the service
 * does, with a configurable status per recipient or for the whole request.
 */
final class LocalSmsEndpoint implements AutoCloseable {
  /** Base64 of 32 bytes: an access key of the test's own, not a real one. */
  static final String ACCESS_KEY =
      Base64.getEncoder().encodeToString("iotbeam-test-access-key-32-bytes".getBytes());

  record Request(
      String method,
      String pathAndQuery,
      Map<String, String> headers,
      String body,
      boolean signatureValid) {}

  private final HttpsServer server;
  private final TestTls tls;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int requestStatus = 202;
  private volatile int recipientStatus = 202;

  LocalSmsEndpoint(TestTls tls) throws Exception {
    this.tls = tls;
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    server.createContext(
        "/",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
          String pathAndQuery =
              ex.getRequestURI().getRawPath()
                  + (ex.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + ex.getRequestURI().getRawQuery());
          requests.add(
              new Request(
                  ex.getRequestMethod(),
                  pathAndQuery,
                  headers,
                  new String(body, StandardCharsets.UTF_8),
                  signatureValid(ex.getRequestMethod(), pathAndQuery, headers, body)));
          String answer;
          int status = requestStatus;
          if (status >= 300) {
            answer = "{\"error\":{\"code\":\"Test\",\"message\":\"status " + status + "\"}}";
          } else {
            boolean ok = recipientStatus < 300;
            answer =
                "{\"value\":[{\"to\":\""
                    + recipient(body)
                    + "\",\"messageId\":"
                    + (ok ? "\"Outgoing_test_" + requests.size() + "\"" : "null")
                    + ",\"httpStatusCode\":"
                    + recipientStatus
                    + ",\"repeatabilityResult\":\"accepted\","
                    + "\"successful\":"
                    + ok
                    + ",\"errorMessage\":"
                    + (ok ? "null" : "\"Invalid To phone number format.\"")
                    + "}]}";
          }
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(status, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
  }

  String connectionString() {
    return "endpoint=https://127.0.0.1:"
        + server.getAddress().getPort()
        + "/;accesskey="
        + ACCESS_KEY;
  }

  /** The SDK's default transport, trusting only this endpoint's certificate. */
  HttpClient trustingClient() throws Exception {
    var ssl = SslContextBuilder.forClient().trustManager(tls.trust()).build();
    return new NettyAsyncHttpClientBuilder(
            reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl)))
        .build();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The status of the whole request (202, or e.g. 401, 503). */
  void answerRequest(int status) {
    this.requestStatus = status;
  }

  /** The per-recipient status inside a 202 answer (202, or e.g. 400 for a bad number). */
  void answerRecipient(int status) {
    this.recipientStatus = status;
  }

  /**
   * Azure Communication Services' HMAC scheme: the signature over {@code
   * VERB\npath?query\nx-ms-date;host;x-ms-content-sha256} with the access key, and the content hash
   * over the body.
   */
  private static boolean signatureValid(
      String method, String pathAndQuery, Map<String, String> h, byte[] body) {
    try {
      String hash =
          Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
      if (!hash.equals(h.get("x-ms-content-sha256"))) {
        return false;
      }
      String toSign =
          method
              + "\n"
              + pathAndQuery
              + "\n"
              + h.get("x-ms-date")
              + ";"
              + h.get("host")
              + ";"
              + hash;
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(ACCESS_KEY), "HmacSHA256"));
      String sig =
          Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
      return ("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=" + sig)
          .equals(h.get("authorization"));
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static String recipient(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    int i = s.indexOf("\"to\":\"");
    return i < 0 ? "" : s.substring(i + 6, s.indexOf('"', i + 6));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
