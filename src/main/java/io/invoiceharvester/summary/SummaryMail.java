package io.invoiceharvester.summary;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.export.SpreadsheetCopy;
import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.SummaryRecords;
import io.invoiceharvester.state.WaitingFiles;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's summary mail, built from the state database: it reports every delivered file no summary has
 * reported yet (this run's, and those of a run killed before its summary), with the ledger's totals and
 * flags, the run's failures, rendered with FreeMarker as HTML with a plain-text alternative.
 */
public class SummaryMail {

    private static final Logger LOG = LoggerFactory.getLogger(SummaryMail.class);

    /** Room kept in harvester.mail.max-bytes for headers and MIME boundaries. */
    static final long HEADER_RESERVE_BYTES = 4096;

    /** The ledger files a mail attaches (newest month first, within its size limit), and those it only names. */
    record Attachments(List<Path> attached, List<Path> named) {
    }

    /** A summary ready for the outbox. */
    public record Queued(String summaryId, String outboxName, MimeMessage message) {
    }

    private final LedgerFigures ledger;
    private final LedgerExport exports;
    private final SummaryRecords records;
    private final WaitingFiles waiting;
    private final Outbox outbox;
    private final String when;
    private final String from;
    private final List<String> to;
    private final long maxBytes;
    private final Configuration templates;

    public SummaryMail(LedgerFigures ledger, LedgerExport exports, SummaryRecords records, WaitingFiles waiting, Outbox outbox,
                       String when, String from, List<String> to, long maxBytes) {
        this.ledger = ledger;
        this.exports = exports;
        this.records = records;
        this.waiting = waiting;
        this.outbox = outbox;
        this.when = when;
        this.from = from;
        this.to = List.copyOf(to);
        this.maxBytes = maxBytes;
        this.templates = new Configuration(Configuration.VERSION_2_3_34);
        templates.setClassForTemplateLoading(SummaryMail.class, "/templates");
        templates.setDefaultEncoding("UTF-8");
    }

    /**
     * Claims the files this summary reports, and composes its mail.
     *
     * @return the mail to queue, or null when harvester.mail.when says this run gets none
     */
    public Queued compose(RunState run)
            throws SQLException, IOException, MessagingException, TemplateException {
        records.settleUnwritten(outbox::has);
        String summaryId = run.getRunId();
        String name = Outbox.nameFor(summaryId);
        int claimed = records.claim(summaryId, run.getRunId(), name);
        boolean changes = claimed > 0 || run.getFailureCount() > 0;
        if ("never".equals(when) || "changes".equals(when) && !changes) {
            records.noMail(summaryId);
            return null;
        }
        SummaryScan scan = SummaryScan.of(ledger, records, summaryId);
        List<Path> ledgers = changedMonths(scan.dataMonths);
        // the body is measured first: what is left of the limit is for attachments
        List<String> waits = waiting(run);
        CostChart trend = trend();
        Map<String, Object> draft = model(run, scan, waits, new Attachments(List.of(), ledgers), trend, true);
        long bodySize = (render("summary.txt.ftl", draft).length() + render("summary.html.ftl", draft).length()) * 2L
                + (draft.get("detailsCsv") instanceof byte[] details ? details.length * 4L / 3 : 0);
        // the chart counts toward the limit before the attachments; one that does not fit is left out (the table stays)
        byte[] chart = trend.png();
        if (chart != null && bodySize + encoded(chart.length) > maxBytes - HEADER_RESERVE_BYTES) {
            LOG.warn("summary: the billed-cost chart ({} bytes) does not fit harvester.mail.max-bytes; the mail shows the table",
                    chart.length);
            chart = null;
        }
        long chartSize = chart == null ? 0 : encoded(chart.length);
        Attachments attachments = withinLimit(ledgers, maxBytes - bodySize - chartSize - HEADER_RESERVE_BYTES);
        Map<String, Object> model = model(run, scan, waits, attachments, trend, chart != null);
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        for (String recipient : to) {
            message.addRecipient(MimeMessage.RecipientType.TO, new InternetAddress(recipient));
        }
        message.setSubject((String) model.get("subject"), "UTF-8");

        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(render("summary.txt.ftl", model), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(render("summary.html.ftl", model), "UTF-8", "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(chart == null ? html : withImage(html, chart));
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        mixed.addBodyPart(body);
        if (model.get("detailsCsv") instanceof byte[] details) {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(details, "text/csv; charset=UTF-8")));
            part.setFileName(SummaryOverview.DETAILS_FILE);
            mixed.addBodyPart(part);
        }
        for (Path file : attachments.attached()) {
            MimeBodyPart part = new MimeBodyPart();
            // the copy a person opens: no cell of it runs as a spreadsheet formula
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(SpreadsheetCopy.of(file), "text/csv; charset=UTF-8")));
            part.setFileName("ledger-" + file.getFileName());
            mixed.addBodyPart(part);
        }
        message.setContent(mixed);
        message.saveChanges();
        return new Queued(summaryId, name, message);
    }

    /** The HTML and the chart it shows by its Content-ID, as one multipart/related part. */
    private static MimeBodyPart withImage(MimeBodyPart html, byte[] png) throws MessagingException {
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(html);
        MimeBodyPart image = new MimeBodyPart();
        image.setDataHandler(new DataHandler(new ByteArrayDataSource(png, "image/png")));
        image.setContentID("<" + CostChart.CONTENT_ID + ">");
        image.setDisposition(MimeBodyPart.INLINE);
        image.setFileName("billed-cost.png");
        related.addBodyPart(image);
        MimeBodyPart part = new MimeBodyPart();
        part.setContent(related);
        return part;
    }

    /** A part's size in the mail: base64, a third larger, and its headers. */
    private static long encoded(long bytes) {
        return bytes * 4 / 3 + 1024;
    }

    /** The last months' billed cost; a summary goes out even when the ledger cannot be read for it. */
    private CostChart trend() {
        try {
            return new CostChart(ledger.monthlyCosts(CostChart.MONTHS));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("summary: the billed cost per month could not be read: {}", e.getMessage());
            return new CostChart(List.of());
        }
    }

    /** What waits on a person and this run did not report as a failure; a summary goes out even when it cannot be read. */
    private List<String> waiting(RunState run) {
        try {
            return waiting.reportedBefore(run.getRunId()).stream().map(w -> FailureReport.printable(w.toString())).toList();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("summary: the files that wait on a person could not be read: {}", e.getMessage());
            return List.of("(the files that wait on a person could not be read: " + FailureReport.printable(e.getMessage())
                    + "; `status` lists them)");
        }
    }

    /** The summary's mail is in the outbox: its files are reported. */
    public void written(Queued summary) {
        records.written(summary.summaryId());
    }

    /**
     * One size limit per mail (harvester.mail.max-bytes), since servers refuse a mail by its total size:
     * the newest months are attached first (as base64, a third larger), the rest are named by path.
     */
    private static Attachments withinLimit(List<Path> files, long room) throws IOException {
        List<Path> newestFirst = new ArrayList<>(files);
        newestFirst.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        long budget = room;
        List<Path> attached = new ArrayList<>();
        List<Path> named = new ArrayList<>();
        for (Path file : newestFirst) {
            long encoded = encoded(Files.size(file));
            if (encoded <= budget) {
                attached.add(file);
                budget -= encoded;
            } else {
                named.add(file);
            }
        }
        return new Attachments(attached, named);
    }

    /** The exported ledger files of the months whose data this summary reports (the run's export step wrote them). */
    private List<Path> changedMonths(TreeSet<YearMonth> months) {
        List<Path> out = new ArrayList<>();
        for (YearMonth month : months) {
            Path file = exports.csvFile(month);
            if (Files.isRegularFile(file)) {
                out.add(file);
            }
        }
        return out;
    }

    private static Map<String, Object> model(RunState run, SummaryScan scan, List<String> waits, Attachments attachments,
                                             CostChart trend, boolean chartShown) throws IOException {
        List<Map<String, String>> failures = new ArrayList<>();
        for (RunState.Failure f : run.getFailures()) {
            failures.add(Map.of("item", f.item(), "message", f.message()));
        }
        List<String> attached = attachments.attached().stream().map(p -> "ledger-" + p.getFileName()).toList();
        List<YearMonth> requested = run.getRequest().months();
        String months = requested.isEmpty() ? "" : requested.get(0)
                + (requested.size() > 1 ? ".." + requested.get(requested.size() - 1) : "");
        int failureCount = run.getFailureCount();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("subject", "[invoice-harvester] " + months + ": " + scan.fileCount + " new files, "
                + failureCount + (failureCount == 1 ? " failure" : " failures"));
        model.put("runId", run.getRunId());
        model.put("trigger", run.getRequest().trigger());
        model.put("startedAt", run.getStartedAt().toString());
        model.put("months", months);
        model.put("detailed", scan.detailed());
        model.put("groups", scan.groups);
        model.put("groupCount", scan.groupCount);
        model.put("overview", scan.overview.rows());
        model.put("allFlags", scan.overview.flags());
        model.put("detailsFile", SummaryOverview.DETAILS_FILE);
        model.put("detailsCsv", scan.detailed() ? null : scan.overview.detailsCsv());
        model.put("failures", failures);
        model.put("failureCount", failureCount);
        model.put("attachments", attached);
        model.put("notAttached", attachments.named().stream().map(p -> p.toAbsolutePath().toString()).toList());
        model.put("estimates", run.getNotes());
        model.put("notices", run.getNotices());
        model.put("filesDiscarded", run.getFilesDiscarded());
        model.put("waiting", waits);
        model.put("filesListed", run.getFilesListed());
        model.put("filesStored", scan.fileCount);
        model.put("filesSkipped", run.getFilesSkipped());
        model.put("filesNotWanted", run.getFilesNotWanted());
        model.put("filesLeftOut", run.getFilesLeftOut());
        model.put("filesNotFetched", run.getFilesNotFetched());
        model.put("trendColumns", trend.columns());
        model.put("trendRows", trend.rows());
        model.put("chartCid", chartShown && !trend.isEmpty() ? CostChart.CONTENT_ID : "");
        return model;
    }

    private String render(String template, Map<String, Object> model) throws IOException, TemplateException {
        Template t = templates.getTemplate(template);
        StringWriter out = new StringWriter();
        t.process(model, out);
        return out.toString();
    }

}
