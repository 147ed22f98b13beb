package io.invoiceharvester.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a provider's file name into one that can never leave its folder, fits every file system the
 * harvester writes to, and never stands for two names: whenever sanitizing changed a name, a suffix of
 * '~' and 8 hex digits of the SHA-256 of the raw name is added before the extension, so "a:b.pdf",
 * "a/b.pdf" and "a_b.pdf" stay three files, and every run picks the same name for the same file.
 */
public final class FileNames {

    /**
     * The name's budget in UTF-8 bytes: file systems allow 255 bytes per name, and the longest name
     * written around it adds a temporary prefix (12), the drop's invoice id and version (up to 32) and a
     * quarantine's ".reason.txt" (11).
     */
    static final int MAX_BYTES = 160;
    private static final int MAX_EXTENSION_BYTES = 16;
    private static final Pattern WINDOWS_RESERVED = Pattern.compile("(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\\..*)?");

    private FileNames() {
    }

    public static String sanitize(String remote) {
        if (remote == null) {
            return "file";
        }
        StringBuilder out = new StringBuilder(remote.length());
        remote.codePoints().forEach(cp -> {
            boolean unsafe = cp == '/' || cp == '\\' || cp == ':' || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT || "<>\"|?*".indexOf(cp) >= 0;
            out.appendCodePoint(unsafe ? '_' : cp);
        });
        // leading dots would make "..", "." or hidden names; trailing dots and blanks trouble Windows shares
        String name = out.toString().strip().replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        // a name of nothing but separators and dots carries no information
        if (name.codePoints().noneMatch(Character::isLetterOrDigit)) {
            name = "file";
        }
        if (WINDOWS_RESERVED.matcher(name).matches()) {
            name = "_" + name;
        }
        if (name.equals(remote) && utf8(name) <= MAX_BYTES) {
            return name;
        }
        String suffix = "~" + hash(remote);
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && utf8(name.substring(dot)) <= MAX_EXTENSION_BYTES ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        return truncate(stem, MAX_BYTES - utf8(suffix) - utf8(extension)) + suffix + extension;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** At most maxBytes of UTF-8, cut between code points (never inside a surrogate pair). */
    private static String truncate(String s, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = utf8(new String(Character.toChars(cp)));
            if (bytes + n > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String hash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
