package io.invoiceharvester.akamai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import java.nio.charset.StandardCharsets;

/**
 * What the Akamai tests share: the fixtures' paths and bytes, and stubs of lists and files on the WireMock stand-
 * in.
 */
abstract class AkamaiTestSupport extends HarvestTestSupport {

    static final String SWITCH_KEY = "1-5C0YLB:1-8BYUX";
    static final String LIST = "/invoicing-api/v4/invoices";
    /** Every download of invoice 9000000001..., whose contract is C-1. */
    static final String C1_LINKS = "/invoicing-api/v4/contracts/C-1/invoices/\\d+/download";
    static final byte[] PDF = "%PDF-1.4\n% invoice\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] COMPUTE_PDF = "%PDF-1.7\n% compute credit memo\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final ObjectMapper JSON = new ObjectMapper();

    void stubList(String month, byte[] body) {
        h.api.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("month", equalTo(month))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** @param link a download path, or a pattern of paths (C1_LINKS) */
    void stubFile(String link, String sourceType, String contentType, byte[] body) {
        h.api.stubFor(get(urlPathMatching(link)).withQueryParam("sourceType", equalTo(sourceType))
                .withHeader("Accept", equalTo(contentType))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body)));
    }

    /** Every file of the project's list fixture: its own PDF for each PDF, the CSV fixture for each CSV. */
    void stubFixtureFiles() throws Exception {
        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "application/pdf", PDF);
        h.stubAkamaiFile(TestHarvest.INVOICE_LINK, "REGULAR", "text/csv", TestHarvest.fixtureCsv("A-CCT7890", "1234567890"));
        h.stubAkamaiFile(TestHarvest.CREDIT_MEMO_LINK, "COMPUTE", "application/pdf", COMPUTE_PDF);
        h.stubAkamaiFile(TestHarvest.CREDIT_MEMO_LINK, "COMPUTE", "text/csv", TestHarvest.fixtureCsv("A-CCT9012", "8234567890"));
    }

    /**
     * A list of one-PDF invoices of contract C-1, with the given file names and version, each its own
     * invoice id (9000000001, 9000000002, ...); the first's link is {@code link}, the others' name their own id.
     */
    byte[] pdfList(String link, int version, String... fileNames) throws Exception {
        ArrayNode list = JSON.createArrayNode();
        long id = 9000000001L;
        for (String name : fileNames) {
            ObjectNode inv = list.addObject();
            inv.put("accountId", "A-1").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", "INVOICE")
                    .put("invoiceTotal", 10.5).put("invoiceCurrency", "USD");
            inv.putArray("files").addObject().put("contentType", "application/pdf").put("fileName", name)
                    .put("fileVersion", version).put("sourceType", "REGULAR").put("fileLink", link.replace("9000000001", Long.toString(id)));
            id++;
        }
        return JSON.writeValueAsBytes(list);
    }

    /** One invoice of account A-CCT7890, contract C-1, with a CSV of its own. */
    ObjectNode csvInvoice(ArrayNode list, long id, String type, Object total) {
        ObjectNode inv = list.addObject();
        inv.put("accountId", "A-CCT7890").put("contractId", "C-1").put("invoiceId", id).put("invoiceType", type)
                .put("invoiceCurrency", "USD").put("invoiceDate", "2021-02-01");
        inv.set("invoiceTotal", JSON.valueToTree(total));
        inv.putArray("files").addObject().put("contentType", "text/csv").put("fileName", id + ".csv").put("fileVersion", 1)
                .put("sourceType", "REGULAR").put("fileLink", "/invoicing-api/v4/contracts/C-1/invoices/" + id + "/download")
                .put("fileCreationDate", "2021-02-01");
        return inv;
    }

    /**
     * Akamai's documented 429: problem+json saying when the next request may go (2 s after this one, by
     * WireMock's clock at the request); no header says it.
     */
    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tooManyRequests() {
        return aResponse().withStatus(429).withHeader("Content-Type", "application/problem+json").withTransformers("response-template")
                .withBody("{\"type\": \"/billing/error-types/429\", \"title\": \"Too Many Requests\", \"detail\": \"rate limit"
                        + " exceeded\", \"details\": \"10 requests a minute for this account\", \"rateLimit\": 10,"
                        + " \"rateLimitRemaining\": 0, \"rateLimitReset\": \"{{now offset='30 seconds'}}\","
                        + " \"rateLimitNextRequest\": \"{{now offset='2 seconds'}}\"}");
    }
}
