package io.invoiceharvester.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "..\\..\\win.ini", "C:\\evil.pdf", "a\u0000b\nc\r.pdf",
            "..", ".", "", "   ", "....//....//x", "\u202Egpj.pdf", "x/../../y.pdf"})
    void aSanitizedNameNeverLeavesItsFolder(String hostile) {
        String safe = FileNames.sanitize(hostile);
        assertFalse(safe.isEmpty());
        assertFalse(safe.contains("/") || safe.contains("\\") || safe.startsWith("."), safe);
        assertTrue(safe.chars().noneMatch(Character::isISOControl), safe);
        Path folder = Path.of("/drop/akamai/A-1");
        assertEquals(folder, folder.resolve(safe).normalize().getParent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"InvoiceName_1-XYZ_1-ABCD_1234567890_FINAL_1.pdf", "8234567890_COMPUTE_1.csv"})
    void ordinaryNamesAreKept(String name) {
        assertEquals(name, FileNames.sanitize(name));
    }

    @org.junit.jupiter.api.Test
    void emptyAndNullBecomeFile() {
        assertEquals("file", FileNames.sanitize(""));
        assertEquals("file", FileNames.sanitize(null));
        assertEquals("file", FileNames.sanitize("../"));
    }
}
