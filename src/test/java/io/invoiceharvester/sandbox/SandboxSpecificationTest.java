package io.invoiceharvester.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.edgegrid.EdgercReader;
import io.invoiceharvester.edgegrid.RequestSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox serves only what the providers' published specifications allow (../shared/api/): every
 * Akamai list entry has the schema's required fields and no other properties, allowed values only, a
 * COMPUTE file is text/csv; Fastly's list filters billing_end_date on the invoice's billing end.
 */
class SandboxSpecificationTest {

    static final Set<String> INVOICE_FIELDS = Set.of("accountId", "contractId", "invoiceId", "invoiceDate", "invoiceDueDate",
            "invoiceTotal", "invoiceCurrency", "invoiceType", "files");
    static final Set<String> INVOICE_REQUIRED = Set.of("invoiceId", "invoiceDate", "invoiceTotal", "invoiceCurrency", "invoiceType",
            "contractId", "accountId", "files");
    static final Set<String> FILE_FIELDS = Set.of("contentType", "fileCreationDate", "fileLink", "fileName", "fileVersion", "sourceType");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpResponse<String> get(Sandbox sandbox, RequestSigner signer, String target) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + target)).header("Accept", "application/json");
        if (signer != null) {
            b.header("Authorization", signer.authorization("GET", target, Map.of(), null));
        } else {
            b.header("Fastly-Key", sandbox.fastlyToken());
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAkamaiListEntryIsWhatThePublishedSchemaAllows() throws Exception {
        for (SandboxData data : List.of(new SandboxData(), SandboxData.reseller(2, 2))) {
            try (Sandbox sandbox = Sandbox.start(0, java.time.Duration.ZERO, data)) {
                Path edgerc = dir.resolve("edgerc");
                Files.writeString(edgerc, sandbox.edgercSection("s"));
                RequestSigner signer = new RequestSigner(EdgercReader.read(edgerc, "s"));
                List<String> keys = new ArrayList<>(sandbox.switchKeys());
                if (data.account(null) != null) {
                    keys.add(null); // the credential's own account
                }
                int entries = 0;
                for (String key : keys) {
                    for (YearMonth month = SandboxData.MONTHS.get(0).minusMonths(2); !month.isAfter(SandboxData.MONTHS.get(2));
                         month = month.plusMonths(1)) {
                        String target = "/invoicing-api/v4/invoices?month=" + month + (key == null ? "" : "&accountSwitchKey=" + key);
                        HttpResponse<String> r = get(sandbox, signer, target);
                        if (r.statusCode() == 204) {
                            assertTrue(r.body().isEmpty(), "204 has no body");
                            continue;
                        }
                        assertEquals(200, r.statusCode(), target + ": " + r.body());
                        for (JsonNode invoice : JSON.readTree(r.body())) {
                            entries++;
                            checkInvoice(invoice);
                        }
                    }
                }
                assertTrue(entries > 0);
            }
        }
    }

    private static void checkInvoice(JsonNode invoice) {
        String where = invoice.toString();
        assertTrue(fields(invoice).stream().allMatch(INVOICE_FIELDS::contains), "no other properties: " + where);
        assertTrue(fields(invoice).containsAll(INVOICE_REQUIRED), "every required field: " + where);
        assertTrue(invoice.get("invoiceId").isIntegralNumber() && invoice.get("invoiceId").asLong() >= 1, where);
        assertTrue(invoice.get("invoiceTotal").isNumber(), where);
        assertTrue(Set.of("INVOICE", "CREDIT_MEMO", "DEBIT_MEMO").contains(invoice.get("invoiceType").asText()), where);
        assertTrue(invoice.get("invoiceCurrency").asText().matches("[A-Z]{3}"), where);
        assertTrue(invoice.get("files").isArray() && !invoice.get("files").isEmpty(), "at least one file: " + where);
        String ownLink = "/invoicing-api/v4/contracts/" + invoice.get("contractId").asText() + "/invoices/"
                + invoice.get("invoiceId").asLong() + "/download";
        for (JsonNode file : invoice.get("files")) {
            assertEquals(FILE_FIELDS, Set.copyOf(fields(file)), "every required file field and no other: " + file);
            assertTrue(file.get("fileVersion").asInt() >= 1, file.toString());
            String source = file.get("sourceType").asText();
            String type = file.get("contentType").asText();
            assertTrue(Set.of("REGULAR", "COMPUTE").contains(source), file.toString());
            assertTrue(Set.of("application/pdf", "text/csv", "application/json").contains(type), file.toString());
            assertTrue(!source.equals("COMPUTE") || type.equals("text/csv"), "COMPUTE data is CSV only: " + file);
            assertEquals(ownLink, file.get("fileLink").asText(), "the documented download path of its own invoice");
        }
    }

    private static List<String> fields(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void fastlyFiltersBillingEndDateOnTheInvoicesBillingEndAtMidnightUtc() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            // January's invoices end 2025-01-31T23:59:59Z: after midnight of the 31st, within midnight of February 1st
            JsonNode strict = JSON.readTree(get(sandbox, null,
                    "/billing/v3/invoices?billing_start_date=2025-01-01&billing_end_date=2025-01-31&limit=200").body());
            assertEquals(0, strict.path("meta").path("total").asInt(), strict.toString());
            JsonNode wide = JSON.readTree(get(sandbox, null,
                    "/billing/v3/invoices?billing_start_date=2025-01-01&billing_end_date=2025-02-01&limit=200").body());
            assertEquals(2, wide.path("meta").path("total").asInt(), wide.toString());
            JsonNode fromFebruary = JSON.readTree(get(sandbox, null,
                    "/billing/v3/invoices?billing_start_date=2025-01-02&billing_end_date=2025-03-01&limit=200").body());
            assertEquals(1, fromFebruary.path("meta").path("total").asInt(), "billing_start_date filters the billing start: "
                    + fromFebruary);
        }
    }
}
