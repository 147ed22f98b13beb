package io.invoiceharvester.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.model.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SFTP drop against a real in-process SFTP server (Apache MINA SSHD). */
class SftpDropTest extends HarvestTestSupport {

    static final String LIST = "/invoicing-api/v4/invoices";
    static final String LINK = TestHarvest.DOWNLOADS;
    static final byte[] PDF = "%PDF-1.4\n% sftp\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    static final String PASSWORD = "sftp-test-password-73f1";

    SshServer sftp;
    Path remoteRoot;

    @BeforeEach
    void setUp() throws Exception {
        remoteRoot = Files.createDirectories(dir.resolve("sftp-root"));
        sftp = startSftp(0);
        h.set("harvester.drop.uri", "sftp://harvester@127.0.0.1:" + sftp.getPort() + "/incoming")
                .set("harvester.drop.sftp-known-hosts", knownHosts(sftp).toString())
                .set("harvester.drop.sftp-password-file", Files.writeString(dir.resolve("sftp-password"), PASSWORD).toString())
                .set("harvester.retry.max-attempts", "2");
        h.stubAkamaiFixtures("2021-01", PDF);
    }

    @AfterEach
    void tearDown() throws Exception {
        sftp.stop(true);
    }

    private SshServer startSftp(int port) throws Exception {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser"));
        keys.setAlgorithm("RSA");
        server.setKeyPairProvider(keys);
        server.setPasswordAuthenticator((user, password, session) -> "harvester".equals(user) && PASSWORD.equals(password));
        server.setPublickeyAuthenticator((user, key, session) -> false);
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new VirtualFileSystemFactory(remoteRoot));
        server.start();
        return server;
    }

    private Path knownHosts(SshServer server) throws Exception {
        PublicKey key = server.getKeyPairProvider().loadKeys(null).iterator().next().getPublic();
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "[127.0.0.1]:" + server.getPort() + " " + PublicKeyEntry.toString(key) + "\n");
        return file;
    }

    /** A known_hosts file that knows another key for the server's host and port. */
    private Path otherHostsKey() throws Exception {
        Path other = dir.resolve("other_known_hosts");
        Files.writeString(other, "[127.0.0.1]:" + sftp.getPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        return other;
    }

    private List<Path> remoteFiles() throws Exception {
        return h.filesUnder(remoteRoot);
    }

    @Test
    void pdfsAreDeliveredToTheSftpServerUnderTheirFinalNamesOnly() throws Exception {
        RunState report = h.run("2021-01");

        assertEquals(0, report.exitCode(), report.getFailures().toString());
        List<Path> files = remoteFiles();
        assertEquals(2, files.size(), files.toString());
        Path invoice = remoteRoot.resolve("incoming/akamai/A-CCT7890/2021-01/1234567890_v1_InvoiceName_1-XYZ_1-ABCD_1234567890_FINAL_1.pdf");
        assertArrayEquals(PDF, Files.readAllBytes(invoice));
        assertTrue(files.stream().noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary name left");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf' AND dropped_at IS NULL"));
    }

    @Test
    void anUnknownHostKeyIsAnErrorNotASilentAccept() throws Exception {
        Path other = otherHostsKey();
        h.set("harvester.drop.sftp-known-hosts", other.toString());

        RunState report = h.run("2021-01");

        assertEquals(1, report.exitCode());
        assertTrue(remoteFiles().isEmpty());
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf' AND dropped_at IS NULL"),
                "the PDFs wait, stored, for a drop that can be trusted");
        assertTrue(report.getFailures().stream().noneMatch(f -> f.message().contains(PASSWORD)));
    }

    /**
     * Camel resolves a placeholder from -D (and the environment) itself, ahead of the harvester's properties:
     * a drop URI given so must still reach the drop route with its host key checked.
     */
    @Test
    void aDropUriGivenAsASystemPropertyStillHasItsHostKeyChecked() throws Exception {
        h.set("harvester.drop.sftp-known-hosts", otherHostsKey().toString());
        System.setProperty("harvester.drop.uri", "sftp://harvester@127.0.0.1:" + sftp.getPort() + "/incoming");
        try {
            RunState report = h.run("2021-01");

            assertEquals(1, report.exitCode());
            assertTrue(remoteFiles().isEmpty(), "nothing reached a host whose key is not known");
        } finally {
            System.clearProperty("harvester.drop.uri");
        }
    }

    /** The same with the drop URI in the environment, as a service manager sets it (Camel reads a process's own). */
    @Test
    void aDropUriGivenInTheEnvironmentStillHasItsHostKeyChecked() throws Exception {
        h.set("harvester.drop.sftp-known-hosts", otherHostsKey().toString());
        Path log = dir.resolve("once.log");
        ProcessBuilder once = new ProcessBuilder(TestHarvest.javaCommand("once", "--config", h.configFile().toString(), "--month", "2021-01"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        once.environment().put("HARVESTER_DROP_URI", "sftp://harvester@127.0.0.1:" + sftp.getPort() + "/incoming");

        Process p = once.start();

        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
        assertEquals(1, p.exitValue(), Files.readString(log));
        assertTrue(remoteFiles().isEmpty(), "nothing reached a host whose key is not known");
    }

    /** Options the harvester owns, in the operator's URI: refused (exit 2) with the key to use, nothing dropped. */
    @ParameterizedTest
    @ValueSource(strings = {"?strictHostKeyChecking=yes", "?StrictHostKeyChecking=no", "?knownHostsFile=/dev/null",
        "?useUserKnownHostsFile=true", "?password=secret-in-uri", "?privateKeyFile=/tmp/key", "?tempPrefix=tmp-", "#userinfo"})
    void anOwnedOptionInTheDropUriIsRefusedAndCannotSwitchHostKeyCheckingOff(String option) throws Exception {
        Path other = otherHostsKey();
        String uri = option.equals("#userinfo") ? "sftp://harvester:" + PASSWORD + "@127.0.0.1:" + sftp.getPort() + "/incoming"
                : "sftp://harvester@127.0.0.1:" + sftp.getPort() + "/incoming" + option;
        h.set("harvester.drop.sftp-known-hosts", other.toString()).set("harvester.drop.uri", uri);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "once", "--config", h.configFile().toString(), "--month", "2021-01");

        assertEquals(2, code, out + "" + err);
        assertTrue(err.toString().contains("harvester.drop.uri:") && (err.toString().contains("use harvester.")
                || err.toString().contains("always writes under a temporary name")), err.toString());
        assertTrue(remoteFiles().isEmpty(), "nothing reached a host whose key is not known");
        assertFalse(err.toString().contains(PASSWORD) || out.toString().contains(PASSWORD), "the password is not echoed");
    }

    @Test
    void whileTheSftpServerIsDownPdfsWaitAndALaterRunDeliversThemWithoutDownloadingAgain() throws Exception {
        int port = sftp.getPort();
        sftp.stop(true);

        RunState down = h.run("2021-01");
        assertEquals(1, down.exitCode());
        assertEquals(2, h.count("SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf' AND dropped_at IS NULL"));
        long downloads = h.requestsTo(LINK);

        sftp = startSftp(port);
        RunState up = h.run("2021-01");

        assertEquals(0, up.exitCode(), up.getFailures().toString());
        assertEquals(2, remoteFiles().size());
        assertEquals(downloads, h.requestsTo(LINK), "delivered from the archive, not downloaded again");
        assertEquals(0, h.count("SELECT COUNT(*) FROM harvested_file WHERE content_type = 'application/pdf' AND dropped_at IS NULL"));
    }
}
