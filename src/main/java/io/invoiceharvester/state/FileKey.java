package io.invoiceharvester.state;

import io.invoiceharvester.model.ListedFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How the state tables name one file: by its full key, or, before its version is known (a Fastly invoice
 * is versioned by its body), by the list entry that announced it.
 */
final class FileKey {

    /** Every version of a file. */
    static final String ANY_VERSION = "provider = ? AND account_id = ? AND contract_id = ? AND invoice_id = ? AND source_type = ?"
            + " AND content_type = ?";
    static final String KEY = ANY_VERSION + " AND file_version = ?";
    private static final String LIST_ENTRY = "provider = ? AND account_id = ? AND invoice_id = ? AND list_fingerprint = ?";

    private FileKey() {
    }

    static int bind(PreparedStatement ps, ListedFile f, int start) throws SQLException {
        int i = bindAnyVersion(ps, f, start);
        ps.setString(i++, f.getFileVersion());
        return i;
    }

    static int bindAnyVersion(PreparedStatement ps, ListedFile f, int start) throws SQLException {
        int i = start;
        ps.setString(i++, f.getProvider());
        ps.setString(i++, f.getAccountId());
        ps.setString(i++, f.getContractId());
        ps.setString(i++, f.getInvoiceId());
        ps.setString(i++, f.getSourceType());
        ps.setString(i++, f.getContentType());
        return i;
    }

    /**
     * The key of a file as listed: its version, or, for a file versioned by its content and not downloaded
     * (a Fastly invoice), its list entry's fingerprint.
     */
    static int bindListed(PreparedStatement ps, ListedFile f, int start) throws SQLException {
        int i = bindAnyVersion(ps, f, start);
        ps.setString(i++, f.getFileVersion() != null ? f.getFileVersion() : f.getListFingerprint());
        return i;
    }

    /** Whether {@code table} has a row for this file, by its key or by its list entry, where {@code also} holds. */
    static boolean exists(DataSource dataSource, String table, String also, ListedFile f, String what) {
        boolean byListEntry = f.getFileVersion() == null;
        String sql = "SELECT 1 FROM " + table + " WHERE " + also + " AND " + (byListEntry ? LIST_ENTRY : KEY);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (byListEntry) {
                ps.setString(1, f.getProvider());
                ps.setString(2, f.getAccountId());
                ps.setString(3, f.getInvoiceId());
                ps.setString(4, f.getListFingerprint());
            } else {
                bind(ps, f, 1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw Jdbc.failure(what, e);
        }
    }
}
