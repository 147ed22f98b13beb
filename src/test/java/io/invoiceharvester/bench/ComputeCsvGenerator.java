package io.invoiceharvester.bench;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/** Writes a COMPUTE-style usage CSV of about the given size, in the sandbox's COMPUTE layout. */
public final class ComputeCsvGenerator {

    private ComputeCsvGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long bytes = Long.parseLong(args[1]);
        String[] services = {"Linode 4GB", "Linode 8GB", "Block Storage", "NodeBalancer", "Object Storage"};
        String[] regions = {"us-east", "us-west", "eu-central", "ap-south"};
        long written = 0;
        long rows = 0;
        LocalDate day = LocalDate.of(2025, 1, 1);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            String header = "ACCOUNT_ID,INVOICE_ID,USAGE_DATE,SERVICE,REGION,SKU,USAGE_QUANTITY,UNIT,UNIT_PRICE,COST,CURRENCY\n";
            w.write(header);
            written += header.length();
            while (written < bytes) {
                int s = (int) (rows % services.length);
                String line = "A-BENCH01,9299999999," + day.plusDays(rows % 31) + "," + services[s] + ","
                        + regions[(int) (rows / 7 % regions.length)] + ",SKU-" + (rows % 997) + ",24,hour,0.0" + (s + 1) + "5,"
                        + "0." + (s + 1) + "2,USD\n";
                w.write(line);
                written += line.length();
                rows++;
            }
        }
        System.out.println(rows + " " + written);
    }
}
