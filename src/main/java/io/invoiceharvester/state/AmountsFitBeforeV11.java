package io.invoiceharvester.state;

import io.invoiceharvester.model.ConfigException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Before V11 narrows the ledger's amounts to DECIMAL(38,18) (20 integer digits): a database written by an older
 * version may hold a value that does not fit (the five ledger_line columns were DECIMAL(38,10), 28 integer digits).
 * Checked before anything is altered, since H2's DDL is not transactional and a failure halfway would leave it half
 * migrated; the message names the column, the rows and what to do. The migration itself stays as released
 * (Flyway checks its checksum on every database past it).
 */
final class AmountsFitBeforeV11 extends BaseCallback {

    /** ledger_line's columns that V8 made DECIMAL(38,10); the others were DECIMAL(24,8) and fit. */
    static final List<String> COLUMNS = List.of("pricing_quantity", "contracted_unit_price", "consumed_quantity", "contracted_cost",
            "billed_cost");
    private static final String LIMIT = "100000000000000000000"; // 10^20: the first value with 21 integer digits
    private static final int NAMED = 5;

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_EACH_MIGRATE && context.getMigrationInfo() != null
                && context.getMigrationInfo().getVersion() != null && "11".equals(context.getMigrationInfo().getVersion().getVersion());
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        List<String> problems = new ArrayList<>();
        Connection c = context.getConnection();
        try {
            for (String column : COLUMNS) {
                List<String> rows = new ArrayList<>();
                int count = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT provider, account_id, invoice_id, source_type, line_no, " + column
                        + " FROM ledger_line WHERE ABS(" + column + ") >= CAST(? AS DECIMAL(38,0)) ORDER BY provider, account_id, invoice_id,"
                        + " source_type, line_no")) {
                    ps.setString(1, LIMIT);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (count++ < NAMED) {
                                rows.add(rs.getString(1) + " account " + rs.getString(2) + " invoice " + rs.getString(3) + " "
                                        + rs.getString(4) + " line " + rs.getInt(5) + " (" + rs.getBigDecimal(6).toPlainString() + ")");
                            }
                        }
                    }
                }
                if (count > 0) {
                    problems.add("ledger_line." + column + " holds " + count + " value" + (count == 1 ? "" : "s")
                            + " of more than 20 integer digits, which this version cannot keep: " + String.join("; ", rows)
                            + (count > NAMED ? "; and " + (count - NAMED) + " more" : ""));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checking the ledger's amounts before migration V11: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("harvester.state.url: the database cannot be upgraded, nothing was changed: "
                    + String.join("; ", problems) + ". Such an amount cannot be a real invoice's: delete that invoice's lines"
                    + " (DELETE FROM ledger_line WHERE provider = … AND account_id = … AND invoice_id = …), start this version"
                    + " again, and run `ledger rebuild` for its month; or keep running the version before");
        }
    }

    @Override
    public String getCallbackName() {
        return "amounts-fit-before-V11";
    }
}
