package io.invoiceharvester.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.invoiceharvester.model.ConfigException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The state database: one pool, its schema brought up to date by Flyway on open; or, for a command that only reads, one connection. */
public final class StateDatabase implements AutoCloseable {

    static {
        // H2's AUTO_SERVER (a second process opening the file) would listen on every interface: loopback
        // only, set before H2 reads its settings; an operator's own -Dh2.bindAddress stays
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** password=… (PostgreSQL), PASSWORD=… (H2), and user:password@ in an authority. */
    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)((?:password|pwd)=)[^&;\\s]*|(?<=//[^/@:\\s]{1,64}:)[^@/\\s]+(?=@)");

    /** The newest schema version db/migration holds (StateDatabaseTest keeps it so). */
    static final int SCHEMA_VERSION = 16;

    private final DataSource raw;
    private final FencedDataSource fenced;
    private final String url;
    private final AutoCloseable resources;

    private StateDatabase(DataSource dataSource, String url, AutoCloseable resources) {
        this.raw = dataSource;
        this.fenced = new FencedDataSource(dataSource);
        this.url = url;
        this.resources = resources;
    }

    /** The harvester's own opening: a pool, and the schema brought up to date. */
    public static StateDatabase open(String url, String username, String password) {
        checkKind(url);
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
            throw unopenable(url, e);
        }
        migrate(url, ds, ds);
        return new StateDatabase(ds, url, ds);
    }

    /**
     * An operator command's opening when it only reads: one connection, no pool, and no migration when the
     * schema is already current (loading Flyway and a pool is most of such a command's second); a database
     * behind this version (a new installation) is migrated as {@link #open} does.
     */
    public static StateDatabase openForReading(String url, String username, String password) {
        checkKind(url);
        DataSource ds = direct(durable(url), username, password);
        Connection kept;
        try {
            // kept open until close: an H2 file stays open between the command's statements
            kept = ds.getConnection();
        } catch (SQLException e) {
            throw unopenable(url, e);
        }
        try {
            if (schemaVersion(kept) < SCHEMA_VERSION) {
                migrate(url, ds, kept);
            }
        } catch (SQLException e) {
            close(kept);
            throw unopenable(url, e);
        } catch (RuntimeException e) {
            close(kept);
            throw e;
        }
        return new StateDatabase(ds, url, kept);
    }

    private static void checkKind(String url) {
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("harvester.state.url: '" + masked(url) + "' is neither an H2 nor a PostgreSQL JDBC URL");
        }
    }

    private static RuntimeException unopenable(String url, SQLException e) {
        String why = masked(url) + " (" + masked(firstLine(e.getMessage())) + ")";
        if (isTemporary(e)) {
            return new StateUnavailableException("state database not reachable (yet): " + why
                    + "; exit 75, try again later (a service manager restarts on it)");
        }
        return new ConfigException("harvester.state.url: cannot open " + why);
    }

    private static void migrate(String url, DataSource ds, AutoCloseable onFailure) {
        try {
            // on PostgreSQL, db/vendor/postgresql adds Quartz's cluster tables: a cluster runs there
            String[] locations = url.startsWith("jdbc:postgresql:")
                    ? new String[] {"classpath:db/migration", "classpath:db/vendor/postgresql"}
                    : new String[] {"classpath:db/migration"};
            Flyway.configure().dataSource(ds).locations(locations).callbacks(new AmountsFitBeforeV11()).load().migrate();
        } catch (FlywayException e) {
            close(onFailure);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ConfigException named) {
                    throw named; // a check before a migration: what to do, in its own words
                }
            }
            throw new ConfigException("harvester.state.url: migrating " + masked(url) + " failed (" + masked(firstLine(e.getMessage())) + ")");
        } catch (ConfigException e) {
            close(onFailure);
            throw e;
        }
    }

    /** The highest schema version Flyway applied; 0 on a database it never migrated. */
    private static int schemaVersion(Connection c) throws SQLException {
        int newest = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\"")) {
            while (rs.next()) {
                String v = rs.getString(1);
                if (v != null && v.matches("\\d{1,9}")) {
                    newest = Math.max(newest, Integer.parseInt(v));
                }
            }
        } catch (SQLException e) {
            // no such table (H2 42S02..42S04, PostgreSQL 42P01): a database never migrated
            String state = String.valueOf(e.getSQLState());
            if (state.matches("42S0[234]|42P01")) {
                return 0;
            }
            throw e;
        }
        return newest;
    }

    /** A data source opening a connection per call; connections end in seconds when the server does not answer. */
    private static DataSource direct(String url, String username, String password) {
        boolean user = username != null && !username.isBlank();
        boolean secret = password != null && !password.isBlank();
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            if (user) {
                pg.setUser(username);
            }
            if (secret) {
                pg.setPassword(password);
            }
            // after them: what the URL names wins, as it does for the pool's DriverManager
            pg.setURL(url);
            pg.setConnectTimeout(10);
            pg.setLoginTimeout(10);
            return pg;
        }
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser(user ? username : "");
        h2.setPassword(secret ? password : "");
        return h2;
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
        }
    }

    /**
     * An H2 file writes a commit to disk up to its WRITE_DELAY (500 ms) later: a kill -9 in between loses
     * it. Every H2 file URL the harvester opens writes at once, unless it sets a delay of its own.
     */
    static String durable(String url) {
        boolean file = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
        return file && !url.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=") ? url + ";WRITE_DELAY=0" : url;
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
        return url.startsWith("jdbc:postgresql:");
    }

    /** The state database for every bean: once this process took the run lock, each write is fenced by it (FencedDataSource). */
    public DataSource dataSource() {
        return fenced;
    }

    /** Unfenced: for the run lock's own row and Quartz's tables, which are written without holding the lock. */
    public DataSource unfencedDataSource() {
        return raw;
    }

    /** From now on, this lease fences every write (RunLock, when it takes the lock). */
    void fencedBy(RunLock.Lease lease) {
        fenced.fencedBy(lease);
    }

    /** Before a file write of a run: throws LockLostException when the lock this process took is no longer its own. */
    public void checkFence() {
        fenced.check();
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the state database: " + e.getMessage(), e);
        }
    }

    /** A JDBC URL (or a driver's message quoting one) with any password in it replaced by ***: a URL can carry a secret. */
    public static String masked(String text) {
        return text == null ? null : PASSWORD_IN_URL.matcher(text).replaceAll("$1***");
    }
}
