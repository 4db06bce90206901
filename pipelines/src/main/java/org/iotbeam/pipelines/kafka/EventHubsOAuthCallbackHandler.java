package org.iotbeam.pipelines.kafka;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Kafka's OAUTHBEARER login for Event Hubs: Microsoft Entra tokens from {@code
 * DefaultAzureCredential} (managed identity on AKS, workload identity, environment, Azure CLI...)
 * for scope {@code https://<namespace>.servicebus.windows.net/.default}. The Kafka client
 * instantiates it by class name ({@code sasl.login.callback.handler.class}) and refreshes the token
 * before it expires.
 */
public class EventHubsOAuthCallbackHandler implements AuthenticateCallbackHandler {
  private volatile TokenCredential credential;
  private volatile String scope;

  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!"OAUTHBEARER".equals(saslMechanism)) {
      throw new IllegalArgumentException("unexpected SASL mechanism " + saslMechanism);
    }
    scope = scopeFor(configs.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    credential = new DefaultAzureCredentialBuilder().build();
  }

  /** {@code https://<host>/.default} of the first bootstrap server. */
  static String scopeFor(Object bootstrap) {
    String first;
    if (bootstrap instanceof List<?> l && !l.isEmpty()) {
      first = String.valueOf(l.get(0));
    } else if (bootstrap != null) {
      first = String.valueOf(bootstrap).split(",")[0];
    } else {
      throw new IllegalArgumentException("bootstrap.servers is not set");
    }
    first = first.trim();
    int colon = first.lastIndexOf(':');
    String host = colon > 0 ? first.substring(0, colon) : first;
    return "https://" + host + "/.default";
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    for (Callback cb : callbacks) {
      if (cb instanceof OAuthBearerTokenCallback tokenCallback) {
        try {
          AccessToken t = credential.getTokenSync(new TokenRequestContext().addScopes(scope));
          tokenCallback.token(
              new Token(t.getToken(), t.getExpiresAt().toInstant().toEpochMilli(), scope));
        } catch (RuntimeException e) {
          throw new KafkaException(
              "could not get an Entra token for " + scope + ": " + e.getMessage(), e);
        }
      } else {
        throw new UnsupportedCallbackException(cb);
      }
    }
  }

  @Override
  public void close() {}

  private record Token(String value, long lifetimeMs, String scopeName)
      implements OAuthBearerToken {
    @Override
    public Set<String> scope() {
      return Set.of(scopeName);
    }

    @Override
    public String principalName() {
      return "iotbeam-pipeline";
    }

    @Override
    public Long startTimeMs() {
      return System.currentTimeMillis();
    }
  }
}
