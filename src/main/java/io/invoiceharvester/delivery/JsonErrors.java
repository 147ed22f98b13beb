package io.invoiceharvester.delivery;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/**
 * What was wrong with a provider's JSON, for a person: the parser's own words and where, without the
 * library's internals (its "[Source: REDACTED (StreamReadFeature...)]" locations and feature names).
 */
public final class JsonErrors {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(?:start marker )?at \\[Source:[^\\]]*\\]\\)?|\\s*\\[Source:[^\\]]*\\]");

    private JsonErrors() {
    }

    /** "Unexpected character ('x' (code 120)): expected a valid value ... at line 1, column 2". */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "malformed" : SOURCE.matcher(e.getOriginalMessage()).replaceAll("");
        int cut = message.indexOf('\n');
        message = (cut < 0 ? message : message.substring(0, cut)).trim();
        JsonLocation at = e.getLocation();
        return message + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
}
