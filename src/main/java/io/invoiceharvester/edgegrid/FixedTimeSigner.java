package io.invoiceharvester.edgegrid;

import com.akamai.edgegrid.signer.EdgeGridV1Signer;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** An EdgeGrid signer with a given timestamp and nonce: reproduces a signature to verify it. */
final class FixedTimeSigner extends EdgeGridV1Signer {

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss'+0000'");

    private final long timestamp;
    private final String nonce;

    FixedTimeSigner(String timestamp, String nonce) {
        this.timestamp = LocalDateTime.parse(timestamp, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
        this.nonce = nonce;
    }

    @Override
    protected long getTimestamp() {
        return timestamp;
    }

    @Override
    protected String getNonce() {
        return nonce;
    }
}
