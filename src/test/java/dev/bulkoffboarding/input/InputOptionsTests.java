package dev.bulkoffboarding.input;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InputOptionsTests {

    @Test
    void defaultsDetectEncodingWithGenerousLimits() {
        // when
        InputOptions defaults = InputOptions.defaults();

        // then
        assertThat(defaults).isEqualTo(new InputOptions(null, 1L << 30, 10_000, 200, 2_000_000, 200_000, 100));
    }

    @Test
    void replacesOnlyTheEncoding() {
        // when
        InputOptions options = InputOptions.defaults().withEncoding(StandardCharsets.ISO_8859_1);

        // then
        assertThat(options.encoding()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(options.maxFieldChars()).isEqualTo(10_000);
        assertThat(options.maxNotesChars()).isEqualTo(200_000);
    }

    @Test
    void rejectsLimitsThatAreNotPositive() {
        // when / then
        assertThatIllegalArgumentException().isThrownBy(() -> new InputOptions(null, 0, 1, 1, 1))
            .withMessageContaining("maxFileBytes");
        assertThatIllegalArgumentException().isThrownBy(() -> new InputOptions(null, 1, 1, 1, -1))
            .withMessageContaining("maxRecords");
        assertThatIllegalArgumentException().isThrownBy(() -> new InputOptions(null, 1, 1, 1, 1, 1, 0))
            .withMessageContaining("maxLinesPerCell");
    }

    @Test
    void appliesOneLimitToEveryCellWhenGivenOne() {
        // when
        InputOptions options = new InputOptions(null, 1 << 20, 20, 10, 10);

        // then
        assertThat(options.maxChars(Column.NOTES)).isEqualTo(20);
        assertThat(options.maxChars(Column.CURRENT_USER_ADDRESS)).isEqualTo(20);
        assertThat(options.maxLinesPerCell()).isEqualTo(InputOptions.defaults().maxLinesPerCell());
    }

}
