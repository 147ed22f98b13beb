package io.invoiceharvester.ledger.export;

import io.invoiceharvester.state.StateDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.util.List;

/**
 * bench/run.sh export: one month's export, as a run writes it, timed on its own ("rows ms"); with "sql", the
 * export's month query for the month, for PostgreSQL's COPY TO of the same rows; with "csvwrite", H2's own CSV of
 * that query (CSVWRITE), timed ("ms"). In this package for the query.
 * Usage: ExportMonth STATE_URL OUTPUT_DIR YYYY-MM FORMATS | ExportMonth sql YYYY-MM | ExportMonth csvwrite H2_URL FILE YYYY-MM
 */
public final class ExportMonth {

    private ExportMonth() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sql")) {
            System.out.println(FocusColumns.MONTH_QUERY.replace("?", "'" + YearMonth.parse(args[1]) + "'"));
            return;
        }
        if (args[0].equals("csvwrite")) {
            try (StateDatabase db = StateDatabase.open(args[1], "sa", ""); Connection c = db.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("CALL CSVWRITE(?, ?, 'charset=UTF-8')")) {
                ps.setString(1, args[2]);
                ps.setString(2, FocusColumns.MONTH_QUERY.replace("?", "'" + YearMonth.parse(args[3]) + "'"));
                long start = System.nanoTime();
                ps.execute();
                System.out.println((System.nanoTime() - start) / 1_000_000);
            }
            return;
        }
        YearMonth month = YearMonth.parse(args[2]);
        try (StateDatabase db = StateDatabase.open(args[0], args[0].startsWith("jdbc:h2:") ? "sa" : null, "")) {
            LedgerExport export = new LedgerExport(db.dataSource(), Path.of(args[1]), List.of(args[3].split(",")), () -> { });
            long rows;
            try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM ledger_line l JOIN ledger_invoice i ON l.provider = i.provider AND l.account_id = i.account_id"
                            + " AND l.invoice_id = i.invoice_id AND l.source_type = i.source_type WHERE i.billing_month = ?")) {
                ps.setString(1, month.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
            long start = System.nanoTime();
            export.exportMonth(month);
            System.out.println(rows + " " + (System.nanoTime() - start) / 1_000_000);
        }
    }
}
