package io.invoiceharvester.summary;

import io.invoiceharvester.fastly.MonthToDate;
import io.invoiceharvester.run.FileTask;
import io.invoiceharvester.run.RunReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** What one run found and delivered, per provider, account and billing month: the aggregate of its events. */
public final class RunSummary {

    /** One provider's account in one billing month. */
    public static final class Group {
        final String provider;
        final String account;
        final String month;
        final Set<String> invoices = new TreeSet<>();
        final Set<String> creditMemos = new TreeSet<>();
        final List<FileTask> newFiles = new ArrayList<>();

        Group(String provider, String account, String month) {
            this.provider = provider;
            this.account = account;
            this.month = month;
        }

        long newVersions() {
            return newFiles.stream().filter(FileTask::isNewVersion).count();
        }
    }

    private final Map<String, Group> groups = new TreeMap<>();
    private final List<MonthToDate.Estimate> estimates = new ArrayList<>();
    private RunReport report;

    Group group(FileTask f) {
        return groups.computeIfAbsent(f.getProvider() + "|" + f.getAccountId() + "|" + f.getMonth(),
                k -> new Group(f.getProvider(), f.getAccountId(), f.getMonth()));
    }

    void listed(List<?> files) {
        for (Object o : files) {
            if (o instanceof FileTask f) {
                (f.isCreditMemo() ? group(f).creditMemos : group(f).invoices).add(f.getInvoiceId());
            }
        }
    }

    void delivered(FileTask f) {
        group(f).newFiles.add(f);
    }

    void estimate(MonthToDate.Estimate estimate) {
        estimates.add(estimate);
    }

    List<MonthToDate.Estimate> estimates() {
        return List.copyOf(estimates);
    }

    void end(RunReport report) {
        this.report = report;
    }

    public boolean isEnded() {
        return report != null;
    }

    public RunReport getReport() {
        return report;
    }

    List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public int newFiles() {
        return groups.values().stream().mapToInt(g -> g.newFiles.size()).sum();
    }
}
