package io.invoiceharvester.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.invoiceharvester.config.ConfigException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** The state database: one pool, its schema brought up to date by Flyway on open. */
public final class StateDatabase implements AutoCloseable {

    static {
        // H2's AUTO_SERVER (a second process opening the file) would listen on every interface: loopback
        // only, set before H2 reads its settings; an operator's own -Dh2.bindAddress stays
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** password=… (PostgreSQL), PASSWORD=… (H2), and user:password@ in an authority. */
    private static final java.util.regex.Pattern PASSWORD_IN_URL =
            java.util.regex.Pattern.compile("(?i)((?:password|pwd)=)[^&;\\s]*|(?<=//[^/@:\\s]{1,64}:)[^@/\\s]+(?=@)");

    private final HikariDataSource dataSource;

    private StateDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static StateDatabase open(String url, String username, String password) {
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("harvester.state.url: '" + masked(url) + "' is neither an H2 nor a PostgreSQL JDBC URL");
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(durable(url));
        // a PostgreSQL URL may carry user and password itself
        if (username != null && !username.isBlank()) {
            hc.setUsername(username);
        }
        if (password != null && !password.isBlank()) {
            hc.setPassword(password);
        }
        hc.setPoolName("harvester-state");
        hc.setMaximumPoolSize(8);
        hc.setConnectionTimeout(10_000);
        hc.setInitializationFailTimeout(-1);
        HikariDataSource ds = new HikariDataSource(hc);
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            ds.close();
            String why = masked(url) + " (" + masked(firstLine(e.getMessage())) + ")";
            if (isTemporary(e)) {
                throw new StateUnavailableException("state database not reachable (yet): " + why
                        + "; exit 75, try again later (a service manager restarts on it)");
            }
            throw new ConfigException("harvester.state.url: cannot open " + why);
        }
        try {
            // on PostgreSQL, db/vendor/postgresql adds Quartz's cluster tables: a cluster runs there
            String[] locations = url.startsWith("jdbc:postgresql:")
                    ? new String[] {"classpath:db/migration", "classpath:db/vendor/postgresql"}
                    : new String[] {"classpath:db/migration"};
            Flyway.configure().dataSource(ds).locations(locations).load().migrate();
        } catch (FlywayException e) {
            ds.close();
            throw new ConfigException("harvester.state.url: migrating " + masked(url) + " failed (" + masked(firstLine(e.getMessage())) + ")");
        }
        return new StateDatabase(ds);
    }

    /**
     * An H2 file writes a commit to disk up to its WRITE_DELAY (500 ms) later: a kill -9 in between loses
     * it. Every H2 file URL the harvester opens writes at once, unless it sets a delay of its own.
     */
    static String durable(String url) {
        boolean file = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        return file && !url.toUpperCase(java.util.Locale.ROOT).contains(";WRITE_DELAY=") ? url + ";WRITE_DELAY=0" : url;
    }

    /**
     * A connection failure (SQLState class 08) or a server starting up (57P03) passes; a wrong password
     * (class 28) or database (3D000) does not.
     */
    static boolean isTemporary(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("28") || state.equals("3D000")) {
                    return false;
                }
                if (state.startsWith("08") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public boolean isPostgresql() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A JDBC URL (or a driver's message quoting one) with any password in it replaced by ***: a URL can carry a secret. */
    public static String masked(String text) {
        return text == null ? null : PASSWORD_IN_URL.matcher(text).replaceAll("$1***");
    }
}
