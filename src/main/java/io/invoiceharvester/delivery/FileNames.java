package io.invoiceharvester.delivery;

/** Turns a provider's file name into one that can never leave its folder. */
public final class FileNames {

    static final int MAX_LENGTH = 200;

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
        if (name.length() > MAX_LENGTH) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, MAX_LENGTH - ext.length()) + ext;
        }
        // a name of nothing but separators and dots carries no information
        return name.codePoints().noneMatch(Character::isLetterOrDigit) ? "file" : name;
    }
}
