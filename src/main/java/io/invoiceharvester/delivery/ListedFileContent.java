package io.invoiceharvester.delivery;

import io.invoiceharvester.model.ListedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.support.TypeConverterSupport;

/**
 * A listed file's bytes, where Camel asks for a stream: a route may send the file its body names to an endpoint
 * of its own (`to: file:…`, `sftp:`, `log:`), the archived copy once stored, the download before. Without it a
 * `to: file:` failed on every file, for the body is the ListedFile, not its content.
 */
public class ListedFileContent extends TypeConverterSupport {

    @Override
    public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
        ListedFile file = (ListedFile) value;
        Path bytes = file.getStored() != null ? file.getStored() : file.getDownloaded();
        if (bytes == null) {
            throw new TypeConversionException(value, type, new IllegalStateException("the body is a listed file (" + file
                    + ") that is not downloaded yet: its content is there after the download step"));
        }
        try {
            return type.cast(Files.newInputStream(bytes));
        } catch (IOException e) {
            throw new TypeConversionException(value, type, e);
        }
    }
}
