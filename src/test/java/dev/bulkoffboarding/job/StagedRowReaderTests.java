package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.input.InputFileException;
import dev.bulkoffboarding.input.InputOptions;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

class StagedRowReaderTests {

    private static final String HEADER = "serial_number,action_type,current_user_name,current_user_email";

    private static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void readsEveryRowInFileOrderAcrossManyBatches() throws Exception {
        // given: more rows than several batches read ahead, some of them invalid
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12_345; i++) {
            lines.add((i % 7 == 0) ? "S" + i + ",Shred,A B,a@acme.com" : "S" + i + ",Store,A B,a@acme.com");
        }
        StagedRowReader reader = reader(file(lines), InputOptions.defaults());

        // when
        List<LedgerRow> rows = readAll(reader);

        // then
        assertThat(rows).hasSize(12_345);
        for (int i = 0; i < rows.size(); i++) {
            LedgerRow row = rows.get(i);
            assertThat(row.line()).isEqualTo(i + 2);
            assertThat(row.serialNumber()).isEqualTo("S" + i);
            assertThat(row.state()).isEqualTo((i % 7 == 0) ? RowState.INVALID : RowState.VALID);
        }
        assertThat(reader.headers()).containsExactly("serial_number", "action_type", "current_user_name",
                "current_user_email");
    }

    @Test
    void badInputLaterInTheFileFailsTheStepAfterTheRowsBeforeIt() throws Exception {
        // given: line 3,002 has a cell longer than allowed
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add("S" + i + ",Store," + ((i == 3_000) ? "x".repeat(200) : "A B") + ",a@acme.com");
        }
        InputOptions options = new InputOptions(null, InputOptions.defaults().maxFileBytes(), 100,
                InputOptions.defaults().maxColumns(), InputOptions.defaults().maxRecords());
        StagedRowReader reader = reader(file(lines), options);
        reader.open(new ExecutionContext());

        // when
        List<LedgerRow> before = new ArrayList<>();
        InputFileException failure = null;
        try {
            LedgerRow row;
            while ((row = reader.read()) != null) {
                before.add(row);
            }
        }
        catch (InputFileException ex) {
            failure = ex;
        }
        finally {
            reader.close();
        }

        // then
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains("line 3002");
        assertThat(before).hasSizeLessThanOrEqualTo(3_000);
        assertThat(before).extracting(LedgerRow::line).isSorted();
    }

    @Test
    void closingEarlyStopsReadingAhead() throws Exception {
        // given
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            lines.add("S" + i + ",Store,A B,a@acme.com");
        }
        StagedRowReader reader = reader(file(lines), InputOptions.defaults());
        reader.open(new ExecutionContext());
        assertThat(reader.read()).isNotNull();

        // when: the step stops after its first chunk
        reader.close();

        // then
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().equals("stage-reader"));
    }

    private Path file(List<String> lines) throws IOException {
        Path file = this.dir.resolve("rows.csv");
        Files.writeString(file, HEADER + "\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static StagedRowReader reader(Path file, InputOptions options) {
        return new StagedRowReader(new CsvRecordReader(file, options),
                new StagingProcessor(1, "a".repeat(64), new RowValidator(RowRules.defaults()), json, true));
    }

    private static List<LedgerRow> readAll(StagedRowReader reader) throws Exception {
        List<LedgerRow> rows = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            LedgerRow row;
            while ((row = reader.read()) != null) {
                rows.add(row);
            }
        }
        finally {
            reader.close();
        }
        return rows;
    }

}
