package io.invoiceharvester.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Which summary reported which delivered file, so that every file is in exactly one summary. A summary
 * first claims every file no summary has reported yet (one transaction), then its mail is written to the
 * outbox under the name it was given, then it is marked written. A kill between claim and write leaves a
 * claimed, unwritten summary: the next run gives its files back, unless its mail reached the outbox.
 */
public class SummaryRecords {

    private final DataSource dataSource;

    public SummaryRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One delivered file of a summary. */
    public record File(String provider, String accountId, String month, String invoiceId, String invoiceType,
                       String fileVersion, String fileName, String contentType, boolean newVersion) {
    }

    /**
     * Settles summaries a killed run left unwritten.
     *
     * @param queued whether an outbox name is in the outbox (written before the kill)
     * @return how many summaries gave their files back
     */
    public int settleUnwritten(Predicate<String> queued) {
        int released = 0;
        try (Connection c = dataSource.getConnection()) {
            List<String[]> open = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT summary_id, outbox_name FROM run_summary WHERE written_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            for (String[] s : open) {
                if (s[1] != null && queued.test(s[1])) {
                    written(s[0]);
                    continue;
                }
                Jdbc.inTransaction(c, t -> {
                    try (PreparedStatement files = t.prepareStatement("UPDATE harvested_file SET summary_id = NULL WHERE summary_id = ?");
                         PreparedStatement row = t.prepareStatement("DELETE FROM run_summary WHERE summary_id = ?")) {
                        files.setString(1, s[0]);
                        files.executeUpdate();
                        row.setString(1, s[0]);
                        return row.executeUpdate();
                    }
                });
                released++;
            }
        } catch (SQLException e) {
            throw Jdbc.failure("settling unwritten summaries", e);
        }
        return released;
    }

    /**
     * Claims every delivered file no summary has reported yet for this summary.
     *
     * @param outboxName the name its mail will have in the outbox, or null when it gets no mail
     * @return how many files it claimed
     */
    public int claim(String summaryId, String runId, String outboxName) {
        try (Connection c = dataSource.getConnection()) {
            return Jdbc.inTransaction(c, t -> {
                try (PreparedStatement ins = t.prepareStatement("INSERT INTO run_summary (summary_id, run_id, claimed_at, outbox_name)"
                        + " VALUES (?, ?, CURRENT_TIMESTAMP, ?)");
                     PreparedStatement upd = t.prepareStatement("UPDATE harvested_file SET summary_id = ? WHERE summary_id IS NULL")) {
                    ins.setString(1, summaryId);
                    ins.setString(2, runId);
                    ins.setString(3, outboxName);
                    ins.executeUpdate();
                    upd.setString(1, summaryId);
                    return upd.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("claiming files for a summary", e);
        }
    }

    /** How many delivered files no summary has reported yet. */
    public int unreported() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM harvested_file WHERE summary_id IS NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw Jdbc.failure("counting unreported files", e);
        }
    }

    public void written(String summaryId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE run_summary SET written_at = CURRENT_TIMESTAMP WHERE summary_id = ?")) {
            ps.setString(1, summaryId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("marking a summary written", e);
        }
    }

    /** A summary that gets no mail (harvester.mail.when): its files count as reported. */
    public void noMail(String summaryId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE run_summary SET outbox_name = NULL, written_at = CURRENT_TIMESTAMP WHERE summary_id = ?")) {
            ps.setString(1, summaryId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("marking a summary without mail", e);
        }
    }

    /** What a summary does with one provider-account-month's files. */
    public interface GroupVisitor {
        void visit(List<File> group) throws SQLException;
    }

    /**
     * The files a summary reported, one provider-account-month at a time (ordered by invoice and name):
     * only one group is in memory, however many files the summary covers.
     */
    public void forEachGroup(String summaryId, GroupVisitor visitor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT f.provider, f.account_id, f.billing_month, f.invoice_id, f.invoice_type, f.file_version, f.file_name,"
                            + " f.content_type, CASE WHEN EXISTS (SELECT 1 FROM harvested_file o WHERE o.provider = f.provider"
                            + " AND o.account_id = f.account_id AND o.contract_id = f.contract_id AND o.invoice_id = f.invoice_id"
                            + " AND o.source_type = f.source_type AND o.content_type = f.content_type"
                            + " AND o.file_version <> f.file_version AND o.delivered_at <= f.delivered_at) THEN 1 ELSE 0 END"
                            + " FROM harvested_file f WHERE f.summary_id = ?"
                            + " ORDER BY f.provider, f.account_id, f.billing_month, f.invoice_id, f.file_name")) {
                ps.setFetchSize(500);
                ps.setString(1, summaryId);
                List<File> group = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        File f = new File(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9) == 1);
                        if (!group.isEmpty() && !sameGroup(group.get(0), f)) {
                            visitor.visit(group);
                            group = new ArrayList<>();
                        }
                        group.add(f);
                    }
                }
                if (!group.isEmpty()) {
                    visitor.visit(group);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static boolean sameGroup(File a, File b) {
        return a.provider().equals(b.provider()) && a.accountId().equals(b.accountId()) && a.month().equals(b.month());
    }
}
