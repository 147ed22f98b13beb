package io.invoiceharvester.cli;

import io.invoiceharvester.http.ProblemDetails;
import io.invoiceharvester.akamai.AkamaiRequests;
import io.invoiceharvester.edgegrid.EdgeGridInterceptor;
import io.invoiceharvester.http.ApiClientConfigurer;
import io.invoiceharvester.edgegrid.RequestSigner;
import io.invoiceharvester.run.ListTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.YearMonth;
import java.util.concurrent.Callable;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates configuration and credentials, makes one read-only call per provider, and exits.")
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
            int code = akamai.credentials() == null ? ExitCodes.OK : probeAkamai(akamai, out);
            out.flush();
            return code;
        }
    }

    /** One signed list call for the current month of the first configured account. */
    private static int probeAkamai(Harvester.AkamaiSetup akamai, PrintWriter out) {
        String key = akamai.switchKeys().isEmpty() ? null : akamai.switchKeys().get(0);
        ListTask probe = new ListTask("akamai", YearMonth.now().toString(), key);
        HttpClientBuilder builder = HttpClients.custom();
        new ApiClientConfigurer(new EdgeGridInterceptor(new RequestSigner(akamai.credentials()), akamai.baseUrl()))
                .configureHttpClient(builder);
        HttpGet get = new HttpGet(akamai.baseUrl() + "/invoicing-api/v4/invoices?" + new AkamaiRequests(akamai.baseUrl()).listQuery(probe));
        get.setHeader("Accept", "application/json");
        try (CloseableHttpClient client = builder.build()) {
            return client.execute(get, response -> {
                int status = response.getCode();
                String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
                if (status == 200 || status == 204) {
                    out.println("akamai: ok (" + probe + ": HTTP " + status + ")");
                    return ExitCodes.OK;
                }
                out.println("akamai: " + probe + ": " + ProblemDetails.describe(status, body));
                return status == 401 || status == 403 ? ExitCodes.CONFIG : ExitCodes.INCOMPLETE;
            });
        } catch (IOException e) {
            out.println("akamai: " + akamai.baseUrl() + " cannot be reached (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
            return ExitCodes.UNREACHABLE;
        }
    }
}
