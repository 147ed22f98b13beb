package io.invoiceharvester.state;

import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/** Which files were delivered. Checked before a download, written only after the file is stored. */
public class DeliveryLog {

    private final DataSource dataSource;

    public DeliveryLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stored already (archived and recorded; a PDF may still wait for the drop): by its key, or, for a file whose version
     * is not known before download, by its list entry.
     */
    public boolean isStored(ListedFile f) {
        return FileKey.exists(dataSource, "harvested_file", "TRUE", f, "reading stored files");
    }

    /**
     * A changed list entry whose body turned out to be stored already: the entry is remembered with
     * that file, so the next run knows it without downloading it again.
     */
    public ListedFile rememberListEntry(ListedFile f) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE harvested_file SET list_fingerprint = ? WHERE " + FileKey.KEY)) {
            ps.setString(1, f.getListFingerprint());
            FileKey.bind(ps, f, 2);
            ps.executeUpdate();
            return f;
        } catch (SQLException e) {
            throw Jdbc.failure("recording a list entry", e);
        }
    }

    /**
     * Records a stored file; a second record of the same key (a concurrent or repeated run) is a no-op.
     * Marks the file as a new version when an earlier version of it was stored before.
     */
    public void recordStored(ListedFile f, RunState run) {
        String runId = run.getRunId();
        f.setNewVersion(hasOtherVersion(f));
        String sql = "INSERT INTO harvested_file (provider, account_id, contract_id, invoice_id, source_type, content_type,"
                + " file_version, file_name, billing_month, stored_path, sha256, size_bytes, run_id, delivered_at, list_fingerprint,"
                + " invoice_type, invoice_total, invoice_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = FileKey.bind(ps, f, 1);
            ps.setString(i++, f.getSafeFileName());
            ps.setString(i++, f.getMonth());
            ps.setString(i++, String.valueOf(f.getStored()));
            ps.setString(i++, f.getSha256());
            ps.setLong(i++, f.getBytes());
            ps.setString(i++, runId);
            ps.setString(i++, f.getListFingerprint());
            ps.setString(i++, f.getInvoiceType());
            // what a ledger rebuild needs from the invoice list
            ps.setBigDecimal(i++, f.getInvoiceTotal());
            ps.setString(i, f.getInvoiceCurrency());
            ps.executeUpdate();
            // a file the provider did not serve before is served now: it waits no longer
            try (PreparedStatement del = c.prepareStatement("DELETE FROM unavailable_file WHERE " + FileKey.ANY_VERSION)) {
                FileKey.bindAnyVersion(del, f, 1);
                del.executeUpdate();
            }
        } catch (SQLException e) {
            if (Jdbc.isDataError(e)) {
                throw new InvalidContentException("the state database refuses a value of this file: " + Jdbc.firstLine(e));
            }
            if (!Jdbc.isDuplicateKey(e)) {
                throw Jdbc.failure("recording a delivered file", e);
            }
        }
    }

    /** The drop has the file now. */
    public void markDropped(ListedFile f) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE harvested_file SET dropped_at = CURRENT_TIMESTAMP WHERE " + FileKey.KEY)) {
            FileKey.bind(ps, f, 1);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Jdbc.failure("recording a dropped file", e);
        }
    }

    /**
     * Stored files of this type whose drop has not succeeded yet, to deliver from the archive. The type is
     * the one routes/store.camel.yaml sends to the drop; routes/drop.camel.yaml names it.
     */
    public List<ListedFile> pendingDrops(String contentType) {
        return storedFiles(contentType, "dropped_at IS NULL", List.of());
    }

    /** Stored PDFs of these months or invoices (either list may be empty, not both), for a redelivery. */
    public List<ListedFile> storedPdfs(List<String> months, List<String> invoices) {
        List<String> params = new ArrayList<>(months);
        params.addAll(invoices);
        String byMonth = months.isEmpty() ? "1 = 0" : "billing_month IN (" + String.join(", ", Collections.nCopies(months.size(), "?")) + ")";
        String byInvoice = invoices.isEmpty() ? "1 = 0" : "invoice_id IN (" + String.join(", ", Collections.nCopies(invoices.size(), "?")) + ")";
        return storedFiles("application/pdf", "(" + byMonth + " OR " + byInvoice + ")", params);
    }

    private List<ListedFile> storedFiles(String contentType, String condition, List<String> params) {
        List<ListedFile> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT provider, account_id, contract_id, invoice_id, source_type, content_type, file_version, file_name,"
                        + " billing_month, stored_path FROM harvested_file WHERE content_type = ?"
                        + " AND " + condition + " ORDER BY delivered_at")) {
            ps.setString(1, contentType);
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 2, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ListedFile f = new ListedFile(new Listing(rs.getString(1), rs.getString(9), null), rs.getString(9),
                            new Invoice(rs.getString(2), rs.getString(3), rs.getString(4), null, null, null),
                            new InvoiceFile(rs.getString(8), rs.getString(8), rs.getString(7), rs.getString(5), rs.getString(6), null));
                    out.add(f.recordedAt(Path.of(rs.getString(10))));
                }
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading stored files", e);
        }
        return out;
    }

    private boolean hasOtherVersion(ListedFile f) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM harvested_file WHERE " + FileKey.ANY_VERSION + " AND file_version <> ?")) {
            FileKey.bind(ps, f, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw Jdbc.failure("reading delivered versions", e);
        }
    }
}
