package io.invoiceharvester.cli;

import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.edgegrid.EdgeGridInterceptor;
import io.invoiceharvester.edgegrid.RequestSigner;
import io.invoiceharvester.fastly.FastlyKeyInterceptor;
import io.invoiceharvester.fastly.FastlyRequests;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.http.HostBoundInterceptor;
import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.http.ProblemDetails;
import io.invoiceharvester.run.ListTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates configuration and credentials, makes one read-only call per enabled provider, and exits.")
class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Harvester service = Harvester.prepare(options.load(), ConfigOptions.environment(), false)) {
            out.println("configuration: ok; state database: ok");
            Harvester.AkamaiSetup akamai = service.akamai();
            Harvester.FastlySetup fastly = service.fastly();
            int code = ExitCodes.OK;
            if (akamai.credentials() != null) {
                ListTask probe = new ListTask("akamai", YearMonth.now().toString(),
                        akamai.switchKeys().isEmpty() ? null : akamai.switchKeys().get(0));
                code = Math.max(code, probe(probe.toString(), akamai.baseUrl() + "/invoicing-api/v4/invoices?"
                        + new AkamaiRequests(akamai.baseUrl()).listQuery(probe),
                        new EdgeGridInterceptor(new RequestSigner(akamai.credentials()), akamai.baseUrl()), service.outbound(), out));
            }
            if (fastly.token() != null) {
                ListTask probe = new ListTask("fastly", YearMonth.now().toString(), null);
                code = Math.max(code, probe(probe.toString(), new FastlyRequests(fastly.baseUrl()).probe(probe).uri(),
                        new FastlyKeyInterceptor(fastly.token(), fastly.baseUrl()), service.outbound(), out));
            }
            out.flush();
            return code;
        }
    }

    /** One read-only list call with the provider's credentials: 0 when it answers, 2 when it refuses them. */
    private static int probe(String what, String url, HostBoundInterceptor credentials, Outbound outbound, PrintWriter out) {
        String provider = what.substring(0, what.indexOf(' '));
        HttpClientBuilder builder = HttpClients.custom();
        new ApiClientConfigurer(credentials, outbound, null).configureHttpClient(builder);
        if (outbound.sslContext() != null) {
            builder.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(outbound.sslContext()).buildClassic())
                    .build());
        }
        HttpGet get = new HttpGet(url);
        get.setHeader("Accept", "application/json");
        try (CloseableHttpClient client = builder.build()) {
            return client.execute(get, response -> {
                int status = response.getCode();
                String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
                if (status == 200 || status == 204) {
                    out.println(provider + ": ok (" + what + ": HTTP " + status + ")");
                    return ExitCodes.OK;
                }
                out.println(provider + ": " + what + ": " + ProblemDetails.describe(status, body));
                return status == 401 || status == 403 ? ExitCodes.CONFIG : ExitCodes.INCOMPLETE;
            });
        } catch (IOException e) {
            out.println(provider + ": " + url.substring(0, url.indexOf('/', 8)) + " cannot be reached ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return ExitCodes.UNREACHABLE;
        }
    }
}
