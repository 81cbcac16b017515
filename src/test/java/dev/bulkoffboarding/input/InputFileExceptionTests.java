package dev.bulkoffboarding.input;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InputFileExceptionTests {

    private static final Path FILE = Path.of("/data/inbox/leavers.csv");

    @Test
    void namesFileLineAndColumn() {
        // when
        InputFileException exception = new InputFileException(FILE, 12, 3, "bad");

        // then
        assertThat(exception).hasMessage("leavers.csv: line 12, column 3: bad");
        assertThat(exception.file()).isEqualTo(FILE);
        assertThat(exception.detail()).isEqualTo("bad");
    }

    @Test
    void leavesOutWhatIsNotKnown() {
        // when / then
        assertThat(new InputFileException(FILE, 12, 0, "bad")).hasMessage("leavers.csv: line 12: bad");
        assertThat(new InputFileException(FILE, 0, 0, "bad")).hasMessage("leavers.csv: bad");
        assertThat(new InputFileException(null, 0, 2, "bad")).hasMessage("column 2: bad");
    }

}
