package io.invoiceharvester.delivery;

import io.invoiceharvester.model.InvalidContentException;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * A CSV file's characters, refused once one line grows longer than any invoice line can be: a header or
 * a record is read whole before any field check, so a file with no line breaks would fill memory.
 */
public final class CappedLineReader extends FilterReader {

    public static final int MAX_LINE_CHARS = 1024 * 1024;

    private int line = 1;
    private int length;

    public CappedLineReader(Reader in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int count) throws IOException {
        int n = super.read(buffer, offset, count);
        for (int i = 0; i < n; i++) {
            count(buffer[offset + i]);
        }
        return n;
    }

    private void count(char c) {
        if (c == '\n') {
            line++;
            length = 0;
        } else if (++length > MAX_LINE_CHARS) {
            throw new InvalidContentException("line " + line + ": longer than " + MAX_LINE_CHARS + " characters; not read further");
        }
    }
}
