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
        assertTrue(FileNames.sanitize("").startsWith("file~"));
        assertEquals("file", FileNames.sanitize(null));
        assertTrue(FileNames.sanitize("../").startsWith("file~"));
    }

    @org.junit.jupiter.api.Test
    void namesThatSanitizeAlikeStayApartAndRerunsPickTheSameName() {
        String colon = FileNames.sanitize("a:b.pdf");
        String slash = FileNames.sanitize("a/b.pdf");
        String plain = FileNames.sanitize("a_b.pdf");
        assertEquals("a_b.pdf", plain, "a name that needed no change keeps it");
        assertTrue(colon.matches("a_b~[0-9a-f]{8}\\.pdf"), colon);
        assertEquals(3, java.util.Set.of(colon, slash, plain).size(), "no silent overwrite: " + colon + " " + slash);
        assertEquals(colon, FileNames.sanitize("a:b.pdf"), "deterministic");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CON", "con.pdf", "NUL.txt", "com1.csv", "LPT9"})
    void windowsReservedNamesAreNotKept(String reserved) {
        String safe = FileNames.sanitize(reserved);
        assertFalse(safe.replaceAll("\\..*$", "").equalsIgnoreCase(reserved.replaceAll("\\..*$", "")), safe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u044f", "\uD83D\uDE00", "a", "\u4e2d"})
    void longNamesFitInBytesNotCharsAndNeverSplitACharacter(String unit) {
        String raw = unit.repeat(164) + ".pdf";
        String safe = FileNames.sanitize(raw);
        byte[] bytes = safe.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(bytes.length <= FileNames.MAX_BYTES, bytes.length + " bytes: " + safe);
        assertEquals(safe, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), "whole characters only");
        assertTrue(safe.endsWith(".pdf") && safe.contains("~"), safe);
        assertTrue(safe.codePoints().allMatch(cp -> !Character.isSurrogate((char) cp)), safe);
    }
}
