package io.invoiceharvester.state;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Quarantined files as rows: fetched and refused how often, and an operator's decision. A discarded file
 * is fetched by no run (its list entry is recognized) until it is released again.
 */
public class QuarantineLog {

    /** One quarantined file, as `quarantine list` shows it. */
    public record Entry(long id, String provider, String accountId, String month, String invoiceId, String version,
                        String contentType, String fileName, String reason, OffsetDateTime firstSeen, OffsetDateTime lastSeen,
                        int attempts, OffsetDateTime discardedAt) {
    }

    private final DataSource dataSource;

    public QuarantineLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Another refusal of the file: counted, its latest reason kept. */
    public void quarantined(ListedFile f, String reason) {
        String clipped = reason.length() > 4000 ? reason.substring(0, 4000) : reason;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("UPDATE quarantined_file SET attempts = attempts + 1,"
                    + " last_seen = CURRENT_TIMESTAMP, reason = ?, list_fingerprint = ? WHERE " + FileKey.KEY)) {
                up.setString(1, clipped);
                up.setString(2, f.getListFingerprint());
                FileKey.bind(up, f, 3);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO quarantined_file (provider, account_id, contract_id,"
                    + " invoice_id, source_type, content_type, file_version, list_fingerprint, billing_month, file_name, reason,"
                    + " first_seen, last_seen, attempts, discard_reported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, FALSE)")) {
                int i = FileKey.bind(ins, f, 1);
                ins.setString(i++, f.getListFingerprint());
                ins.setString(i++, f.getMonth());
                ins.setString(i++, f.getSafeFileName());
                ins.setString(i, clipped);
                ins.executeUpdate();
            }
        } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) {
                throw Jdbc.failure("recording a quarantined file", e);
            }
        }
    }

    /** Whether an operator discarded this file: by its key, or by its list entry while its version is unknown (Fastly). */
    public boolean isDiscarded(ListedFile f) {
        return FileKey.exists(dataSource, "quarantined_file", "discarded_at IS NOT NULL", f, "reading discarded files");
    }

    /** The run's step: files discarded since the last run, told once, as a note of this run's summary. */
    public void reportDiscards(RunState run) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Long> reported = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, provider, invoice_id, file_version, file_name, discarded_at"
                    + " FROM quarantined_file WHERE discarded_at IS NOT NULL AND discard_reported = FALSE ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    run.notice("discarded by an operator, no longer fetched: " + rs.getString(2) + " invoice " + rs.getString(3)
                            + " v" + rs.getString(4) + " " + rs.getString(5) + " (quarantine #" + rs.getLong(1) + ")");
                    reported.add(rs.getLong(1));
                }
            }
            for (long id : reported) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE quarantined_file SET discard_reported = TRUE WHERE id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
        }
    }

    public List<Entry> list() throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, provider, account_id,"
                + " billing_month, invoice_id, file_version, content_type, file_name, reason, first_seen, last_seen, attempts,"
                + " discarded_at FROM quarantined_file ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4).trim(), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class),
                        rs.getObject(11, OffsetDateTime.class), rs.getInt(12), rs.getObject(13, OffsetDateTime.class)));
            }
        }
        return out;
    }

    /** @return false when there is no such quarantined file */
    public boolean discard(long id) throws SQLException {
        return update("UPDATE quarantined_file SET discarded_at = CURRENT_TIMESTAMP, discard_reported = FALSE WHERE id = ?", id);
    }

    /** @return false when there is no such quarantined file */
    public boolean release(long id) throws SQLException {
        return update("UPDATE quarantined_file SET discarded_at = NULL WHERE id = ?", id);
    }

    private boolean update(String sql, long id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            return ps.executeUpdate() > 0;
        }
    }
}
