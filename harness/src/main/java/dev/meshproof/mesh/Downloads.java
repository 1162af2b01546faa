package dev.meshproof.mesh;

import dev.meshproof.core.MeshproofException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** Bounded HTTP downloads into a directory (charts, index.yaml, the Gateway API manifest), and sha256 of files. */
final class Downloads {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final String offlineHint;

    /** @param offlineHint what the user can do instead, e.g. "use --charts-dir with downloaded charts" */
    Downloads(String offlineHint) {
        this.offlineHint = offlineHint;
    }

    /** Downloads {@code url} into a new temp file in {@code dir}; exit 3 naming {@code what} and the URL on any failure. */
    Path fetch(URI url, Path dir, String what) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "download-", ".part");
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(tmp));
            if (response.statusCode() != 200) {
                throw MeshproofException.environment("cannot fetch " + what + " from " + url + ": HTTP " + response.statusCode(),
                        "check the URL, or " + offlineHint, null);
            }
            return tmp;
        } catch (IOException e) {
            throw MeshproofException.environment("cannot fetch " + what + " from " + url + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    "check network access, or " + offlineHint + " (offline)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw MeshproofException.environment("interrupted while fetching " + url, null, e);
        } catch (MeshproofException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file in the cache is harmless
        }
    }
}
