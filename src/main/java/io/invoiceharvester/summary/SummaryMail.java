package io.invoiceharvester.summary;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.invoiceharvester.fastly.MonthToDate;
import io.invoiceharvester.ledger.Ledger;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunReport;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Turns a completed run into its summary mail: ledger months rewritten, facts gathered from the ledger,
 * rendered with FreeMarker as HTML with a plain-text alternative, the months' ledger CSVs attached.
 */
public class SummaryMail {

    /** Attachments above this size are left out (the ledger file stays on disk); mail servers refuse big mails. */
    static final long MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;

    private final Ledger ledger;
    private final String when;
    private final String from;
    private final List<String> to;
    private final Configuration templates;

    public SummaryMail(Ledger ledger, String when, String from, List<String> to) {
        this.ledger = ledger;
        this.when = when;
        this.from = from;
        this.to = List.copyOf(to);
        this.templates = new Configuration(Configuration.VERSION_2_3_34);
        templates.setClassForTemplateLoading(SummaryMail.class, "/templates");
        templates.setDefaultEncoding("UTF-8");
    }

    /** @return the message to send, or null when harvester.mail.when says this run gets none */
    public MimeMessage compose(RunSummary summary) throws SQLException, IOException, MessagingException, TemplateException {
        List<Path> attachments = exportChangedMonths(summary);
        RunReport report = summary.getReport();
        boolean changes = summary.newFiles() > 0 || !report.getFailures().isEmpty();
        if ("never".equals(when) || "changes".equals(when) && !changes) {
            return null;
        }
        Map<String, Object> model = model(summary, attachments);
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
        alternative.addBodyPart(html);
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        mixed.addBodyPart(body);
        for (Path file : attachments) {
            if (Files.size(file) <= MAX_ATTACHMENT_BYTES) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new FileDataSource(file.toFile()) {
                    @Override
                    public String getContentType() {
                        return "text/csv; charset=UTF-8";
                    }
                }));
                part.setFileName("ledger-" + file.getFileName());
                mixed.addBodyPart(part);
            }
        }
        message.setContent(mixed);
        message.saveChanges();
        return message;
    }

    /** Months whose ledger changed in this run (new data files): their CSV is rewritten whole. */
    private List<Path> exportChangedMonths(RunSummary summary) throws SQLException, IOException {
        TreeSet<YearMonth> months = new TreeSet<>();
        for (RunSummary.Group g : summary.groups()) {
            if (g.newFiles.stream().anyMatch(f -> !"application/pdf".equals(f.getContentType()))) {
                months.add(YearMonth.parse(g.month));
            }
        }
        List<Path> files = new ArrayList<>();
        for (YearMonth month : months) {
            files.add(ledger.exportMonth(month));
        }
        return files;
    }

    private Map<String, Object> model(RunSummary summary, List<Path> attachments) throws SQLException {
        RunReport report = summary.getReport();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (RunSummary.Group g : summary.groups()) {
            YearMonth month = YearMonth.parse(g.month);
            Map<String, BigDecimal> totals = ledger.totals(g.provider, g.account, month);
            Map<String, BigDecimal> previous = ledger.totals(g.provider, g.account, month.minusMonths(1));
            List<Map<String, String>> totalRows = new ArrayList<>();
            for (Map.Entry<String, BigDecimal> t : totals.entrySet()) {
                BigDecimal before = previous.get(t.getKey());
                totalRows.add(Map.of("currency", t.getKey(), "amount", Ledger.money(t.getValue()),
                        "change", before == null ? "no " + month.minusMonths(1) + " figure"
                                : signed(t.getValue().subtract(before)) + " vs " + month.minusMonths(1)));
            }
            List<Map<String, String>> services = new ArrayList<>();
            for (Ledger.ServiceCost s : ledger.topServices(g.provider, g.account, month, 5)) {
                services.add(Map.of("name", s.service(), "currency", s.currency(), "amount", Ledger.money(s.cost())));
            }
            List<String> newFiles = new ArrayList<>();
            for (FileTask f : g.newFiles) {
                newFiles.add(f.getInvoiceId() + " v" + f.getShortVersion() + " " + f.getSafeFileName()
                        + (f.isNewVersion() ? " (new version)" : ""));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("provider", g.provider.substring(0, 1).toUpperCase() + g.provider.substring(1));
            m.put("account", g.account);
            m.put("month", g.month);
            m.put("invoices", g.invoices.size());
            m.put("creditMemos", g.creditMemos.size());
            m.put("newFiles", newFiles);
            m.put("newVersions", g.newVersions());
            m.put("totals", totalRows);
            m.put("services", services);
            m.put("flags", ledger.reconciliationFlags(g.provider, g.account, month));
            groups.add(m);
        }
        List<Map<String, String>> failures = new ArrayList<>();
        for (RunReport.Failure f : report.getFailures()) {
            failures.add(Map.of("item", f.item(), "message", f.message()));
        }
        List<String> estimates = new ArrayList<>();
        for (MonthToDate.Estimate e : summary.estimates()) {
            estimates.add(e.amount() == null ? "Fastly month-to-date: " + e.note()
                    : "Fastly customer " + e.customerId() + ", " + e.month() + ": " + Ledger.money(e.amount())
                    + (e.currency() == null ? "" : " " + e.currency()) + " so far (an estimate, not billed; not in the totals)");
        }
        List<String> attached = attachments.stream().map(p -> "ledger-" + p.getFileName()).toList();
        String months = report.getRequest().months().isEmpty() ? "" : report.getRequest().months().get(0)
                + (report.getRequest().months().size() > 1 ? ".." + report.getRequest().months().get(report.getRequest().months().size() - 1) : "");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("subject", "[invoice-harvester] " + months + ": " + summary.newFiles() + " new files, "
                + failures.size() + (failures.size() == 1 ? " failure" : " failures"));
        model.put("runId", report.getRunId());
        model.put("trigger", report.getRequest().trigger());
        model.put("startedAt", report.getStartedAt().toString());
        model.put("months", months);
        model.put("groups", groups);
        model.put("failures", failures);
        model.put("attachments", attached);
        model.put("estimates", estimates);
        model.put("filesListed", report.getFilesListed());
        model.put("filesNew", report.getFilesNew());
        model.put("filesSkipped", report.getFilesSkipped());
        return model;
    }

    private String render(String template, Map<String, Object> model) throws IOException, TemplateException {
        Template t = templates.getTemplate(template);
        StringWriter out = new StringWriter();
        t.process(model, out);
        return out.toString();
    }

    private static String signed(BigDecimal v) {
        return (v.signum() >= 0 ? "+" : "") + Ledger.money(v);
    }
}
