package org.tandemrc.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        assertEquals("a,,\"b,c\",\"x\"\"y\",'=1,'-2,'@3,'+4,5-\r\n", Csv.line("a", "", "b,c", "x\"y", "=1", "-2", "@3", "+4", "5-"));
        assertEquals("'\tx\r\n", Csv.line("\tx"));
        assertEquals("\" x \"\r\n", Csv.line(" x "));
        assertEquals(",\r\n", Csv.line(null, ""));
    }

    @Test
    void aFormulaAfterALineBreakInAQuotedCellIsStillOneCell() {
        assertEquals("'=1,\"a\r\n=HYPERLINK(\"\"x\"\")\"\r\n", Csv.line("=1", "a\r\n=HYPERLINK(\"x\")"));
    }
}
