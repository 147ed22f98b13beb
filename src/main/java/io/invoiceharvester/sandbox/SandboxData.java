package io.invoiceharvester.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's fixed data: two accounts (the credential's own and one reached by a switch key), two
 * months of invoices, a credit memo, a COMPUTE usage file, a re-issued file version, and an empty month.
 */
public final class SandboxData {

    /** The months the sandbox knows; the last one has no invoices (204). */
    public static final List<YearMonth> MONTHS = List.of(YearMonth.of(2025, 1), YearMonth.of(2025, 2), YearMonth.of(2025, 3));
    /** The switch keys the sandbox knows: the credential's own account, and a customer account. */
    public static final List<String> SWITCH_KEYS = List.of("1-DEMO1:1-RETAIL", "1-DEMO2:1-ACME");

    static final String CSV_HEADER = "ACCOUNT_ID,ACCOUNT_NAME,INVOICE_START_DATE,INVOICE_ID,ITEM_START_DATE,ITEM_END_DATE,"
            + "UNIT_MEASURE,PRODUCT_LINE,PRODUCT,PRODUCT_ID,ITEMTYPE,ITEM_DESC,ITEM_SPEC,CUST_CURRENCY,ITEM_CURRENCY,"
            + "ITEM_UNITS,CUST_UNIT_PRICE,ITEM_UNIT_PRICE,CUST_TOTAL_SERVICES,ITEM_TOTAL_SERVICES,CUST_TAXES,CUST_TOTAL,"
            + "ITEM_TOTAL,ORDER_ID,EFFECTIVE_END_DATE,PARTNER_PROVIDED_IDENTIFIER";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Line(String productLine, String product, String productId, String itemType, String desc, String unit,
                String units, String unitPrice, String taxes) {
        BigDecimal services() {
            return new BigDecimal(units).multiply(new BigDecimal(unitPrice)).setScale(2, RoundingMode.HALF_UP);
        }

        BigDecimal total() {
            return services().add(new BigDecimal(taxes));
        }
    }

    /** A file's bytes, in memory or (for a large benchmark file) on disk. */
    record File(String fileName, int version, String sourceType, String contentType, byte[] body, Path onDisk) {
        File(String fileName, int version, String sourceType, String contentType, byte[] body) {
            this(fileName, version, sourceType, contentType, body, null);
        }
    }

    record Invoice(long id, String type, String currency, YearMonth month, List<Line> lines, List<File> files) {
        BigDecimal total() {
            return lines.stream().map(Line::total).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    record Account(String accountId, String name, String contractId, Map<YearMonth, List<Invoice>> invoices) {
    }

    /** Accounts by switch key; "" is the credential's own account. */
    final Map<String, Account> accounts = new LinkedHashMap<>();

    /**
     * A benchmark data set: the credential's own account, one month, {@code files} invoices of one PDF
     * each, and, when given, a COMPUTE invoice whose usage CSV is served from {@code computeCsv}.
     */
    public static SandboxData bench(int files, Path computeCsv) {
        SandboxData d = new SandboxData();
        d.accounts.clear();
        Account own = new Account("A-BENCH01", "Bench Corp", "C-BENCH01", new LinkedHashMap<>());
        d.accounts.put("", own);
        YearMonth month = MONTHS.get(0);
        for (int i = 0; i < files; i++) {
            List<File> list = new ArrayList<>();
            Invoice inv = new Invoice(9200000000L + i, "INVOICE", "USD", month,
                    List.of(new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "traffic", "GB", "100", "0.01", "0")), list);
            list.add(new File("Invoice_" + inv.id() + ".pdf", 1, "REGULAR", "application/pdf", pdf(own, inv)));
            own.invoices().computeIfAbsent(month, m -> new ArrayList<>()).add(inv);
        }
        if (computeCsv != null) {
            List<File> list = new ArrayList<>();
            Invoice inv = new Invoice(9299999999L, "INVOICE", "USD", month, List.of(), list);
            list.add(new File(inv.id() + "_COMPUTE_1.csv", 1, "COMPUTE", "text/csv", null, computeCsv));
            own.invoices().computeIfAbsent(month, m -> new ArrayList<>()).add(inv);
        }
        return d;
    }

    /**
     * A reseller's data set: {@code accounts} customer accounts behind switch keys, each with one invoice
     * (PDF, CSV, JSON) in every one of {@code months} months ending with {@link #MONTHS}' first.
     */
    public static SandboxData reseller(int accounts, int months) {
        SandboxData d = new SandboxData();
        d.accounts.clear();
        YearMonth last = MONTHS.get(0);
        for (int a = 1; a <= accounts; a++) {
            Account account = new Account(String.format("A-RS%05d", a), "Reseller Customer " + a, String.format("C-RS%05d", a),
                    new LinkedHashMap<>());
            d.accounts.put(String.format("1-RS%05d:1-CUST", a), account);
            for (int m = months - 1; m >= 0; m--) {
                YearMonth month = last.minusMonths(m);
                long id = 9300000000L + a * 1000L + m;
                d.add(account, id, "INVOICE", "USD", month, 1, List.of(
                        new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "Ion Standard traffic", "GB",
                                Integer.toString(1000 + a + m), "0.0125", "0")));
            }
        }
        return d;
    }

    /** The switch keys of the data set's accounts, without the credential's own account. */
    public List<String> switchKeys() {
        return accounts.keySet().stream().filter(k -> !k.isEmpty()).toList();
    }

    public SandboxData() {
        Account own = new Account("A-DEMO001", "Demo Retail GmbH", "C-DEMO001", new LinkedHashMap<>());
        Account acme = new Account("A-ACME002", "Acme Media Inc.", "K-ACME002", new LinkedHashMap<>());
        accounts.put("", own);
        accounts.put(SWITCH_KEYS.get(0), own);
        accounts.put(SWITCH_KEYS.get(1), acme);

        YearMonth jan = MONTHS.get(0);
        YearMonth feb = MONTHS.get(1);
        add(own, 9100000101L, "INVOICE", "EUR", jan, 1, List.of(
                new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "Ion Standard traffic", "GB", "12500", "0.0125", "29.69"),
                new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "Ion Standard requests", "Hits (millions)", "310.5", "0.55", "32.45"),
                new Line("Security", "App & API Protector", "M-LC-2002", "C", "App & API Protector commitment", "Month", "1", "1500.00", "285.00")));
        add(own, 9100000102L, "INVOICE", "EUR", feb, 1, List.of(
                new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "Ion Standard traffic", "GB", "13875.25", "0.0125", "32.95"),
                new Line("Security", "App & API Protector", "M-LC-2002", "C", "App & API Protector commitment", "Month", "1", "1500.00", "285.00")));
        add(own, 9100000150L, "CREDIT_MEMO", "EUR", feb, 1, List.of(
                new Line("Web Performance", "Ion Standard", "M-LC-1001", "U", "Credit: January traffic overbilled", "GB", "-1000", "0.0125", "-2.38")));
        // re-issued: the list offers version 2 of this invoice's files
        add(acme, 9100000201L, "INVOICE", "USD", jan, 2, List.of(
                new Line("Media Delivery", "Adaptive Media Delivery", "M-LC-3003", "U", "AMD traffic", "GB", "250000", "0.004", "0"),
                new Line("Storage", "NetStorage", "M-LC-4004", "U", "NetStorage capacity", "GB-month", "8200.5", "0.02", "0")));
        add(acme, 9100000202L, "INVOICE", "USD", feb, 1, List.of(
                new Line("Media Delivery", "Adaptive Media Delivery", "M-LC-3003", "U", "AMD traffic", "GB", "262144", "0.004", "0")));
        addCompute(acme, 9100000203L, feb);
    }

    Account account(String switchKey) {
        return accounts.get(switchKey == null ? "" : switchKey);
    }

    private void add(Account a, long id, String type, String currency, YearMonth month, int version, List<Line> lines) {
        List<File> files = new ArrayList<>();
        Invoice inv = new Invoice(id, type, currency, month, lines, files);
        String kind = type.equals("CREDIT_MEMO") ? "CreditMemo" : "Invoice";
        files.add(new File(kind + "_" + a.accountId() + "_" + id + "_FINAL_" + version + ".pdf", version, "REGULAR",
                "application/pdf", pdf(a, inv)));
        files.add(new File(id + "_" + version + ".csv", version, "REGULAR", "text/csv", csv(a, inv)));
        files.add(new File(id + "_" + version + ".json", version, "REGULAR", "application/json", json(a, inv)));
        a.invoices().computeIfAbsent(month, m -> new ArrayList<>()).add(inv);
    }

    /**
     * A cloud computing (COMPUTE) invoice: its daily usage CSV. COMPUTE data is CSV only (Akamai's
     * reference), so the list offers no COMPUTE PDF, although the published list example shows one.
     */
    private void addCompute(Account a, long id, YearMonth month) {
        String[] services = {"Linode 4GB", "Block Storage", "NodeBalancer"};
        String[] hourly = {"0.035", "0.0125", "0.015"};
        List<Line> lines = new ArrayList<>();
        StringBuilder csv = new StringBuilder("ACCOUNT_ID,INVOICE_ID,USAGE_DATE,SERVICE,REGION,SKU,USAGE_QUANTITY,UNIT,UNIT_PRICE,COST,CURRENCY\n");
        for (int s = 0; s < services.length; s++) {
            lines.add(new Line("Cloud Computing", services[s], "SKU-" + (s + 1), "U", services[s], "hour",
                    Integer.toString(24 * month.lengthOfMonth()), hourly[s], "0"));
            for (int day = 1; day <= month.lengthOfMonth(); day++) {
                csv.append(a.accountId()).append(',').append(id).append(',').append(month.atDay(day)).append(',')
                        .append(services[s]).append(",us-east,SKU-").append(s + 1).append(",24,hour,").append(hourly[s])
                        .append(',').append(new BigDecimal(hourly[s]).multiply(BigDecimal.valueOf(24)).toPlainString())
                        .append(",USD\n");
            }
        }
        List<File> files = new ArrayList<>();
        Invoice inv = new Invoice(id, "INVOICE", "USD", month, lines, files);
        files.add(new File(id + "_COMPUTE_1.csv", 1, "COMPUTE", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8)));
        a.invoices().computeIfAbsent(month, m -> new ArrayList<>()).add(inv);
    }

    private static byte[] pdf(Account a, Invoice inv) {
        List<String> text = new ArrayList<>(List.of(
                "Akamai Technologies (sandbox) - " + (inv.type().equals("CREDIT_MEMO") ? "Credit memo " : "Invoice ") + inv.id(),
                a.name() + " (" + a.accountId() + "), contract " + a.contractId(),
                "Billing period " + inv.month(), ""));
        for (Line l : inv.lines()) {
            text.add(l.desc() + ": " + l.units() + " " + l.unit() + " x " + l.unitPrice() + " = " + l.services()
                    + " + tax " + l.taxes() + " " + inv.currency());
        }
        text.add("");
        text.add("Total " + inv.total() + " " + inv.currency());
        return SandboxPdf.render(text);
    }

    private static byte[] csv(Account a, Invoice inv) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        String start = mmddyyyy(inv.month().atDay(1));
        String end = mmddyyyy(inv.month().atEndOfMonth());
        String invStart = mmddyyyy(inv.month().plusMonths(1).atDay(1));
        for (Line l : inv.lines()) {
            sb.append(String.join(",", a.accountId(), quote(a.name()), invStart, Long.toString(inv.id()), start, end,
                    quote(l.unit()), quote(l.productLine()), quote(l.product()), l.productId(), l.itemType(), quote(l.desc()),
                    "", inv.currency(), inv.currency(), l.units(), l.unitPrice(), l.unitPrice(), l.services().toPlainString(),
                    l.services().toPlainString(), l.taxes(), l.total().toPlainString(), l.total().toPlainString(),
                    "1-ORDER" + inv.id() % 1000, mmddyyyy(inv.month().plusYears(1).atEndOfMonth()), "")).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Account a, Invoice inv) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode invoice = root.putObject("INVOICE");
        invoice.put("ACCOUNT_ID", a.accountId());
        invoice.put("ACCOUNT_NAME", a.name());
        invoice.put("INVOICE_ID", inv.id());
        invoice.put("INVOICE_DATE", inv.month().plusMonths(1).atDay(1).toString());
        invoice.put("INVOICE_CURRENCY", inv.currency());
        invoice.put("INVOICE_TYPE", inv.type().equals("CREDIT_MEMO") ? "Credit Memo" : "Standard Invoice");
        invoice.put("INVOICE_VERSION", inv.files().isEmpty() ? 1 : inv.files().get(0).version());
        invoice.put("FINALIZED_DATE", inv.month().plusMonths(1).atDay(1).toString());
        invoice.putNull("PO_NUMBER");
        ArrayNode customers = invoice.putArray("END_CUSTOMER");
        ObjectNode customer = customers.addObject();
        customer.put("END_CUSTOMER_ACCOUNT_ID", a.accountId());
        customer.put("END_CUSTOMER_ACCOUNT_NAME", a.name());
        ArrayNode lines = customer.putArray("INVOICE_LINE");
        for (Line l : inv.lines()) {
            ObjectNode n = lines.addObject();
            n.put("ITEM_DESC", l.desc());
            n.put("ITEM_START_DATE", inv.month().atDay(1).toString());
            n.put("ITEM_END_DATE", inv.month().atEndOfMonth().toString());
            n.put("ITEM_TOTAL", l.total());
            n.put("ITEM_TOTAL_SERVICES", l.services());
            n.put("ITEM_TOTAL_TAXES", new BigDecimal(l.taxes()));
            n.put("ITEM_TYPE", l.itemType());
            n.put("ITEM_UNITS", new BigDecimal(l.units()));
            n.put("ITEM_UNIT_PRICE", new BigDecimal(l.unitPrice()));
            n.put("PRODUCT", l.product());
            n.put("PRODUCT_ID", l.productId());
            n.put("UNIT_MEASURE", l.unit());
            n.putNull("CREDITED_INVOICE_NUMBER");
            n.putNull("CREDITED_INVOICE_LINE_NUMBER");
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mmddyyyy(LocalDate d) {
        return String.format("%02d/%02d/%04d", d.getMonthValue(), d.getDayOfMonth(), d.getYear());
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
