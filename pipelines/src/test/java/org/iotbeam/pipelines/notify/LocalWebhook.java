package org.iotbeam.pipelines.notify;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP receiver on 127.0.0.1 that records what is posted and answers {@link #status}. */
final class LocalWebhook implements AutoCloseable {
  record Post(String idempotencyKey, String body) {}

  private final HttpServer server;
  private final List<Post> posts = new CopyOnWriteArrayList<>();
  private volatile int status = 204;

  LocalWebhook() throws java.io.IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          posts.add(
              new Post(
                  ex.getRequestHeaders().getFirst("Idempotency-Key"),
                  new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          ex.sendResponseHeaders(status, -1);
          ex.close();
        });
    server.start();
  }

  /** The URL of a path, with a query token that must never show up in keys or logs. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path + "?token=hook-secret";
  }

  void answer(int status) {
    this.status = status;
  }

  List<Post> posts() {
    return List.copyOf(posts);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
