package io.kubeai.webhook;

import io.kubeai.core.KubeAiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;

/**
 * The serving certificate and key, read from PEM files (as cert-manager writes them into a
 * mounted Secret). {@link #read} takes both files' bytes at once; a reload compares their digest
 * with the one in use, so an unchanged pair costs two small file reads and no TLS work. The
 * options carry the bytes themselves, not the paths, so what is served is exactly what was read.
 */
final class TlsFiles {
    /** One consistent read of the pair. */
    record Pair(byte[] digest, PemKeyCertOptions options, long notAfterEpochSeconds) {
        boolean sameAs(Pair other) {
            return other != null && Arrays.equals(digest, other.digest);
        }
    }

    private final Path cert;
    private final Path key;

    TlsFiles(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** Reads both files; throws naming the file when one cannot be read or holds no certificate. */
    Pair read() {
        // The kubelet swaps both files at once; reading the certificate again after the key tells
        // whether a swap fell between the two reads (then the pair may not match: read again).
        byte[] c = bytes(cert);
        byte[] k = bytes(key);
        for (int attempt = 0; attempt < 5; attempt++) {
            byte[] again = bytes(cert);
            if (Arrays.equals(c, again)) {
                break;
            }
            c = again;
            k = bytes(key);
        }
        long notAfter;
        try {
            Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(c));
            if (chain.isEmpty()) {
                throw new KubeAiException("TLS certificate " + cert + " holds no PEM certificate");
            }
            notAfter = ((X509Certificate) chain.iterator().next()).getNotAfter().toInstant().getEpochSecond();
        } catch (CertificateException e) {
            throw new KubeAiException("TLS certificate " + cert + " is not a PEM certificate: " + e.getMessage());
        }
        if (!new String(k, java.nio.charset.StandardCharsets.US_ASCII).contains("PRIVATE KEY-----")) {
            throw new KubeAiException("TLS key " + key + " holds no PEM private key");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(c);
            sha.update(k);
            return new Pair(sha.digest(), new PemKeyCertOptions().setCertValue(Buffer.buffer(c)).setKeyValue(Buffer.buffer(k)),
                    notAfter);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new KubeAiException("cannot read TLS file " + p + ": " + e);
        }
    }

    @Override
    public String toString() {
        return cert + " and " + key;
    }
}
