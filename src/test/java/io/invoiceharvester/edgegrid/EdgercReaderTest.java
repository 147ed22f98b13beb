package io.invoiceharvester.edgegrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgercReaderTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path f = dir.resolve(".edgerc");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsASectionWithCommasAndEqualsSignsInValues() throws Exception {
        Path f = write("[default]\nhost = akab-h.luna.akamaiapis.net\nclient_token = akab-ct\n"
                + "client_secret = ab+c/d==\naccess_token = akab-at\nmax-body = 2048\nheaders_to_sign = X-A, X-B\n"
                + "[other]\nhost = x\n");
        EdgeGridCredentials c = EdgercReader.read(f, "default");
        assertEquals("akab-h.luna.akamaiapis.net", c.host());
        assertEquals("ab+c/d==", c.clientSecret());
        assertEquals(2048, c.maxBody());
        assertEquals(java.util.List.of("X-A", "X-B"), c.headersToSign());
        assertFalse(c.toString().contains("ab+c/d=="));
    }

    @Test
    void missingFileSectionAndKeyAreOneLineErrorsNamingTheSetting() throws Exception {
        ConfigException missing = assertThrows(ConfigException.class, () -> EdgercReader.read(dir.resolve("nope"), "default"));
        assertTrue(missing.getMessage().startsWith("harvester.akamai.edgerc: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("does not exist"));

        Path f = write("[default]\nhost = h\nclient_token = ct\naccess_token = at\n");
        ConfigException section = assertThrows(ConfigException.class, () -> EdgercReader.read(f, "prod"));
        assertTrue(section.getMessage().startsWith("harvester.akamai.section: section [prod] not found"), section.getMessage());

        ConfigException key = assertThrows(ConfigException.class, () -> EdgercReader.read(f, "default"));
        assertTrue(key.getMessage().contains("has no client_secret"), key.getMessage());
        assertFalse(key.getMessage().contains("\n"));
    }
}
