package io.invoiceharvester.state;

import io.invoiceharvester.model.ListedFile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Files that wait on a person: listed files the provider does not serve (recorded here), and archived
 * CSVs no layout recognises (recorded by the ledger). Each fails the run that first meets it; `status` and
 * every summary list them until they are resolved, without failing later runs.
 */
public class WaitingFiles {

    /** One waiting file, as `status` and the summary list it. */
    public record Waiting(String kind, String provider, String accountId, String month, String invoiceId, String version,
                          String fileName, String reason, OffsetDateTime since) {
        @Override
        public String toString() {
            return kind + ": " + provider + " invoice " + invoiceId + " v" + (version.length() > 12 ? version.substring(0, 12) : version)
                    + " " + fileName + " (account " + accountId + ", " + month + "), since " + since.toLocalDate() + ": " + reason;
        }
    }

    public static final String UNAVAILABLE = "not available";
    public static final String UNMAPPED = "no CSV layout";

    private final DataSource dataSource;

    public WaitingFiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A listed file the provider did not serve, once more.
     *
     * @return true the first time this file (its version, or its list entry) is not served: the run reports it
     */
    public boolean unavailable(ListedFile f, String reason, String runId) {
        String clipped = reason.length() > 4000 ? reason.substring(0, 4000) : reason;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("UPDATE unavailable_file SET attempts = attempts + 1,"
                    + " last_seen = CURRENT_TIMESTAMP, reason = ? WHERE " + FileKey.KEY)) {
                up.setString(1, clipped);
                FileKey.bindListed(up, f, 2);
                if (up.executeUpdate() > 0) {
                    return false;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO unavailable_file (provider, account_id, contract_id,"
                    + " invoice_id, source_type, content_type, file_version, billing_month, file_name, reason, first_run_id,"
                    + " first_seen, last_seen, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP,"
                    + " CURRENT_TIMESTAMP, 1)")) {
                int i = FileKey.bindListed(ins, f, 1);
                ins.setString(i++, f.getMonth());
                ins.setString(i++, f.getSafeFileName());
                ins.setString(i++, clipped);
                ins.setString(i, runId);
                ins.executeUpdate();
                return true;
            }
        } catch (SQLException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return false; // a concurrent attempt recorded it
            }
            throw Jdbc.failure("recording a file the provider did not serve", e);
        }
    }

    /** Both kinds, oldest first. */
    public List<Waiting> list() throws SQLException {
        return list("");
    }

    /** Both kinds, oldest first, but for those this run reported as failures (its summary lists them there). */
    public List<Waiting> reportedBefore(String runId) throws SQLException {
        return list(runId);
    }

    private List<Waiting> list(String exceptRun) throws SQLException {
        List<Waiting> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            read(c, "SELECT '" + UNAVAILABLE + "', provider, account_id, billing_month, invoice_id, file_version, file_name, reason,"
                    + " first_seen FROM unavailable_file WHERE first_run_id <> ? ORDER BY first_seen, provider, account_id, invoice_id",
                    exceptRun, out);
            read(c, "SELECT '" + UNMAPPED + "', u.provider, u.account_id, u.billing_month, u.invoice_id, u.file_version, u.file_name,"
                    + " u.header, r.reported_at FROM ledger_unmapped u JOIN ledger_unmapped_reported r ON r.provider = u.provider"
                    + " AND r.account_id = u.account_id AND r.invoice_id = u.invoice_id AND r.source_type = u.source_type"
                    + " AND r.file_version = u.file_version WHERE r.run_id <> ?"
                    + " ORDER BY r.reported_at, u.provider, u.account_id, u.invoice_id", exceptRun, out);
        }
        return out;
    }

    private static void read(Connection c, String sql, String exceptRun, List<Waiting> out) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, exceptRun);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Waiting(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4).trim(), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getObject(9, OffsetDateTime.class)));
                }
            }
        }
    }
}
