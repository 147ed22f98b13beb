package io.invoiceharvester.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.edgegrid.EdgeGridInterceptor;
import io.invoiceharvester.edgegrid.EdgercReader;
import io.invoiceharvester.edgegrid.RequestSigner;
import io.invoiceharvester.http.ApiClientConfigurer;
import java.nio.file.Path;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The benchmark's baseline: the same signed requests as a harvest (one list, then every file), one
 * after the other, as a simple script would do them. Prints "requests wall_ms".
 */
public final class SequentialBaseline {

    private SequentialBaseline() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        RequestSigner signer = new RequestSigner(EdgercReader.read(Path.of(args[1]), args[2]));
        String month = args[3];
        HttpClientBuilder builder = HttpClients.custom();
        io.invoiceharvester.http.Outbound direct = io.invoiceharvester.http.Outbound.direct();
        new ApiClientConfigurer(new EdgeGridInterceptor(signer, baseUrl), direct, io.invoiceharvester.http.ProviderConnections.create(direct,
                1, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(60)), null).configureHttpClient(builder);
        long start = System.nanoTime();
        int requests = 0;
        try (CloseableHttpClient client = builder.build()) {
            HttpGet list = new HttpGet(baseUrl + "/invoicing-api/v4/invoices?month=" + month);
            list.setHeader("Accept", "application/json");
            String body = client.execute(list, r -> EntityUtils.toString(r.getEntity()));
            JsonNode invoices = new ObjectMapper().readTree(body);
            requests++;
            for (JsonNode inv : invoices) {
                for (JsonNode f : inv.get("files")) {
                    HttpGet get = new HttpGet(baseUrl + f.get("fileLink").asText() + "?sourceType=" + f.get("sourceType").asText());
                    get.setHeader("Accept", f.get("contentType").asText());
                    client.execute(get, r -> EntityUtils.toByteArray(r.getEntity()));
                    requests++;
                }
            }
        }
        System.out.println(requests + " " + (System.nanoTime() - start) / 1_000_000);
    }
}
