package org.iotbeam.pipelines.notify;

import java.io.ByteArrayInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where and how the email channel reaches its SMTP relay. The credentials are not part of it: each
 * worker reads {@value #USERNAME_ENV} and {@value #PASSWORD_ENV} from its own environment, so they
 * never travel in the job graph. The trusted certificates (public, not secret) travel as PEM text,
 * so the workers need no file.
 */
public record SmtpSettings(
    String host,
    int port,
    String from,
    boolean startTls,
    String trustedCertificatesPem,
    long timeoutMs)
    implements Serializable {
  public static final String USERNAME_ENV = "SMTP_USERNAME";
  public static final String PASSWORD_ENV = "SMTP_PASSWORD";

  /** A socket factory trusting only {@link #trustedCertificatesPem}, or null for the JVM's. */
  SSLSocketFactory socketFactory() {
    if (trustedCertificatesPem == null || trustedCertificatesPem.isEmpty()) {
      return null;
    }
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certificates(trustedCertificatesPem)) {
        ks.setCertificateEntry("trusted-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot use the trusted SMTP certificates: " + e, e);
    }
  }

  /** The certificates of a PEM text; throws when there is none. */
  static Collection<? extends Certificate> certificates(String pem) throws CertificateException {
    Collection<? extends Certificate> certs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (certs.isEmpty()) {
      throw new CertificateException("no certificate in it");
    }
    return certs;
  }
}
