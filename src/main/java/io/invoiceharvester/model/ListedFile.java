package io.invoiceharvester.model;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One file a provider listed, on its way: what the listing said, then where its bytes are. The delivery key
 * (provider, account, contract, invoice, source type, content type, version) makes a new version a new file.
 */
public final class ListedFile {

    private final Listing listing;
    private final String month;
    private final Invoice invoice;
    private final InvoiceFile file;
    /** The listed version until a content hash replaces it ({@link #useContentHashAsVersion}). */
    private String fileVersion;
    private String listFingerprint;
    private boolean newVersion;
    private ListedFile csvSibling;
    private Path downloaded;
    private Path stored;
    private long bytes;
    private String sha256;
    private volatile boolean settled;
    private boolean recorded;

    public ListedFile(Listing listing, String month, Invoice invoice, InvoiceFile file) {
        this.listing = listing;
        this.month = month;
        this.invoice = invoice;
        this.file = file;
        this.fileVersion = file.version();
    }

    public Listing getListing() {
        return listing;
    }

    public String getProvider() {
        return listing.getProvider();
    }

    /** YYYY-MM: for Akamai the month the list was asked for, for Fastly the month of billing_start_date. */
    public String getMonth() {
        return month;
    }

    public String getAccountId() {
        return invoice.accountId();
    }

    public String getContractId() {
        return invoice.contractId();
    }

    public String getInvoiceId() {
        return invoice.invoiceId();
    }

    public String getInvoiceType() {
        return invoice.type();
    }

    /** The name as the provider sent it (may be hostile: never use it as a path). */
    public String getFileName() {
        return file.name();
    }

    public String getSafeFileName() {
        return file.safeName();
    }

    public String getFileVersion() {
        return fileVersion;
    }

    /** For content without a version of its own (Fastly): its SHA-256 becomes the version, once downloaded. */
    public ListedFile useContentHashAsVersion() {
        this.fileVersion = sha256;
        return this;
    }

    /** A hash of the list entry that announced this file: unchanged means the file need not be fetched. */
    public String getListFingerprint() {
        return listFingerprint;
    }

    public void setListFingerprint(String listFingerprint) {
        this.listFingerprint = listFingerprint;
    }

    /** True when an earlier version of this invoice file was delivered before this one. */
    public boolean isNewVersion() {
        return newVersion;
    }

    public void setNewVersion(boolean newVersion) {
        this.newVersion = newVersion;
    }

    /** The version as people read it: content hashes shortened. */
    public String getShortVersion() {
        return fileVersion == null || fileVersion.length() <= 12 ? fileVersion : fileVersion.substring(0, 12);
    }

    public String getSourceType() {
        return file.sourceType();
    }

    public String getContentType() {
        return file.contentType();
    }

    public String getFileLink() {
        return file.link();
    }

    /** The invoice's total as listed (exact; negative on credit memos); null when the list had none. */
    public BigDecimal getInvoiceTotal() {
        return invoice.total();
    }

    public String getInvoiceCurrency() {
        return invoice.currency();
    }

    /** The CSV of the same invoice, version and source type, when the list offers one: that CSV is the invoice's source. */
    public ListedFile getCsvSibling() {
        return csvSibling;
    }

    public void setCsvSibling(ListedFile csvSibling) {
        this.csvSibling = csvSibling;
    }

    /** The same invoice, version and source type as the other file. */
    public boolean sameInvoiceVersion(ListedFile other) {
        return getProvider().equals(other.getProvider()) && invoice.accountId().equals(other.invoice.accountId())
                && invoice.invoiceId().equals(other.invoice.invoiceId()) && file.sourceType().equals(other.file.sourceType()) && Objects.equals(fileVersion, other.fileVersion);
    }

    /** Links each JSON to the CSV of its invoice version, among files listed or stored together. */
    public static void linkCsvSiblings(List<ListedFile> files) {
        for (ListedFile json : files) {
            if ("application/json".equals(json.file.contentType())) {
                for (ListedFile csv : files) {
                    if ("text/csv".equals(csv.file.contentType()) && json.sameInvoiceVersion(csv)) {
                        json.csvSibling = csv;
                    }
                }
            }
        }
    }

    public boolean isCreditMemo() {
        return "CREDIT_MEMO".equals(invoice.type());
    }

    /** A debit memo: a correction that adds to an invoice (Akamai's reference documents them). */
    public boolean isDebitMemo() {
        return "DEBIT_MEMO".equals(invoice.type());
    }

    /** A credit or debit memo: its lines are ChargeClass Correction. */
    public boolean isCorrection() {
        return isCreditMemo() || isDebitMemo();
    }

    /** provider/account/YYYY-MM/invoice/vN: the folder of this file under archive/ and quarantine/. */
    public String getRelativeFolder() {
        return getProvider() + "/" + invoice.accountId() + "/" + getMonth() + "/" + invoice.invoiceId() + "/v" + fileVersion;
    }

    /** provider/account/YYYY-MM/{invoiceId}_v{version}_{fileName}: the file's name in the drop. */
    public String getDropName() {
        return getProvider() + "/" + invoice.accountId() + "/" + getMonth() + "/" + invoice.invoiceId() + "_v" + fileVersion + "_"
                + file.safeName();
    }

    public Path getDownloaded() {
        return downloaded;
    }

    public void setDownloaded(Path downloaded, long bytes, String sha256) {
        this.downloaded = downloaded;
        this.bytes = bytes;
        this.sha256 = sha256;
    }

    /** The archived copy (for PDFs also the source of the drop copy). */
    public Path getStored() {
        return stored;
    }

    public void setStored(Path stored) {
        this.stored = stored;
        this.downloaded = null;
    }

    /**
     * The file as an earlier run recorded it stored (read back for a rebuild, a waiting CSV, a pending drop): its
     * archived copy is the record's evidence, and stays where it is whatever is found in it (no quarantine).
     */
    public ListedFile recordedAt(Path archived) {
        setStored(archived);
        recorded = true;
        return this;
    }

    /** Read back from the record of an earlier run, not fetched by this one ({@link #recordedAt}). */
    public boolean isRecorded() {
        return recorded;
    }

    public long getBytes() {
        return bytes;
    }

    public String getSha256() {
        return sha256;
    }

    /**
     * The run counted what became of this file: delivered, skipped, discarded, planned, not fetched, failed or not
     * served. A file a route left out (a filter of an engineer's) is the one that ends its split unsettled.
     */
    public void settle() {
        settled = true;
    }

    public boolean isSettled() {
        return settled;
    }

    @Override
    public String toString() {
        return getProvider() + " invoice " + invoice.invoiceId() + " v" + fileVersion + " " + file.sourceType() + " " + file.contentType()
                + " (" + file.safeName() + ", account " + invoice.accountId() + ", " + getMonth() + ")";
    }
}
