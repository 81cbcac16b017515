package dev.bulkoffboarding.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SpreadsheetCellsTests {

    @ParameterizedTest
    @ValueSource(strings = { "=1+2", "+44 20 7946 0000", "-5", "@SUM(A1)", "\tx", "\rx", "\0x", "=" })
    void prefixesFormulaTriggersWithAnApostrophe(String cell) {
        // when / then
        assertThat(SpreadsheetCells.neutralise(cell)).isEqualTo("'" + cell);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "C02XK1JHJG5J", " =1", "a=b", "'", "''", "'x", "\nx", "Müller" })
    void leavesSafeCellsAlone(String cell) {
        // when / then
        assertThat(SpreadsheetCells.neutralise(cell)).isSameAs(cell);
        assertThat(SpreadsheetCells.restore(cell)).isSameAs(cell);
    }

    @Test
    void dropsTheApostropheItAdded() {
        // when / then
        assertThat(SpreadsheetCells.restore("'=HYPERLINK(\"x\")")).isEqualTo("=HYPERLINK(\"x\")");
        assertThat(SpreadsheetCells.restore("'-5")).isEqualTo("-5");
        assertThat(SpreadsheetCells.restore("'\t")).isEqualTo("\t");
    }

    @Test
    void escapesApostropheThatAlreadyPrecedesATriggerSoRestoreIsExact() {
        // when
        String neutralised = SpreadsheetCells.neutralise("'=x");

        // then
        assertThat(neutralised).isEqualTo("''=x");
        assertThat(SpreadsheetCells.restore(neutralised)).isEqualTo("'=x");
    }

    @ParameterizedTest
    @ValueSource(strings = { "=", "'=", "''=", "'''-1", "''", "'", "x'=", "@", "\0", "'\r\n" })
    void restoreUndoesNeutralise(String cell) {
        // when / then
        assertThat(SpreadsheetCells.restore(SpreadsheetCells.neutralise(cell))).isEqualTo(cell);
    }

    @Test
    void passesNullThrough() {
        // when / then
        assertThat(SpreadsheetCells.neutralise(null)).isNull();
        assertThat(SpreadsheetCells.restore(null)).isNull();
    }

}
