package io.invoiceharvester.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An API response read into memory (a list, a page): refused once it is larger than a list can sensibly be. */
public final class CappedInput extends FilterInputStream {

    /** Lists and pages: hundreds of invoices are well under a megabyte. */
    public static final long LIST_MAX_BYTES = 16L * 1024 * 1024;

    /** Thrown when the response is larger than its cap. */
    public static final class TooLargeException extends IOException {
        TooLargeException(long max) {
            super("the response is larger than " + max / (1024 * 1024) + " MiB");
        }
    }

    private final long max;
    private long read;

    public CappedInput(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws IOException {
        read += n;
        if (read > max) {
            throw new TooLargeException(max);
        }
    }
}
