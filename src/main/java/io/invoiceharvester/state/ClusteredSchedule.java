package io.invoiceharvester.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz on the state database (PostgreSQL): the JDBC job store in cluster mode, so instances sharing
 * the database fire each schedule once between them and take over from one that stops.
 */
public final class ClusteredSchedule {

    static final String DATA_SOURCE = "harvesterState";

    private ClusteredSchedule() {
    }

    public static StdSchedulerFactory factory(DataSource state, long checkinMillis) throws SchedulerException {
        DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return state.getConnection();
            }

            @Override
            public void shutdown() {
                // the pool belongs to the harvester, which closes it
            }

            @Override
            public void initialize() {
                // nothing: the pool is ready
            }
        });
        Properties q = new Properties();
        q.setProperty("org.quartz.scheduler.instanceName", "invoice-harvester");
        q.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        q.setProperty("org.quartz.threadPool.threadCount", "2");
        q.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        q.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        q.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
        q.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        q.setProperty("org.quartz.jobStore.isClustered", "true");
        q.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinMillis));
        q.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        return new StdSchedulerFactory(q);
    }
}
