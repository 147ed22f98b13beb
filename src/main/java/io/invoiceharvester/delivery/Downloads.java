package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.InvalidContentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streams a response body to a temporary file, never into memory, bounded by the configured size. */
public class Downloads {

    private final Path tempDir;
    private final long maxBytes;

    public Downloads(Path outputDir, long maxBytes) {
        this.tempDir = outputDir.resolve(".tmp");
        this.maxBytes = maxBytes;
    }

    /**
     * The response body to a temporary file. The body is closed on every way out (its end gives the request
     * slot back): a body left open when saving fails would keep the slot, and the retry would wait for it.
     */
    public ListedFile save(ListedFile file, InputStream body,
                         Long contentLength, Integer status)
            throws IOException {
        try (InputStream in = body == null ? InputStream.nullInputStream() : body) {
            if (status != null && status == 204) {
                throw new NotServedException("the API answered 204 No Content (nothing to download yet)");
            }
            if (contentLength != null && contentLength > maxBytes) {
                throw new InvalidContentException("Content-Length " + contentLength + " exceeds harvester.download.max-bytes ("
                        + maxBytes + ")");
            }
            Files.createDirectories(tempDir);
            Path tmp = Files.createTempFile(tempDir, "download-", ".part");
            try {
                return saved(file, in, tmp, contentLength);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    private ListedFile saved(ListedFile file, InputStream in, Path tmp, Long contentLength) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long total = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new InvalidContentException("download exceeds harvester.download.max-bytes (" + maxBytes + "): cut off");
                }
                out.write(buf, 0, n);
            }
        }
        if (contentLength != null && contentLength >= 0 && contentLength != total) {
            throw new IOException("truncated body: Content-Length " + contentLength + " but " + total + " bytes received");
        }
        file.setDownloaded(tmp, total, HexFormat.of().formatHex(sha.digest()));
        return file;
    }

    /** Drops a download that turned out to be delivered already. */
    public ListedFile discard(ListedFile file) throws IOException {
        if (file.getDownloaded() != null) {
            Files.deleteIfExists(file.getDownloaded());
        }
        return file;
    }
}
