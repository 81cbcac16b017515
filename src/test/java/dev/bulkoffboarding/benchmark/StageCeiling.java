package dev.bulkoffboarding.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulkoffboarding.input.Column;
import dev.bulkoffboarding.input.CsvInput;
import dev.bulkoffboarding.input.CsvRecord;
import dev.bulkoffboarding.input.InputOptions;
import dev.bulkoffboarding.quipteams.DeviceActionRequest;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.OffboardingRequest;
import dev.bulkoffboarding.rows.Person;
import dev.bulkoffboarding.rows.RawRow;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import dev.bulkoffboarding.rows.ValidationResult;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What staging could reach without Spring Batch around it: the same parsing (CsvInput),
 * validation (RowValidator), JSON and ledger writes (Ledger.insert into the real schema, created
 * by the real migrations in an H2 file database opened as the application opens it), timed
 * separately. The gap between these figures and the stage step's rate is the framework's share;
 * the ledger's figure is the ceiling no change to our own code can lift. The split is in CPU time
 * of the staging thread (rows per CPU second), so that other load on the machine does not count.
 * Arguments: {@code CSV_FILE DATABASE_PATH CHUNK_SIZE}. Prints one line {@code CEILING key=value ...}.
 */
public final class StageCeiling {

    private StageCeiling() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        // Opened as the application opens its default database (and as the benchmark's runs do).
        AppRun.Database database = AppRun.Database.h2(Path.of(args[1]));
        int chunkSize = Integer.parseInt(args[2]);
        JsonMapper json = JsonMapper.builder().build();
        RowValidator validator = new RowValidator(RowRules.defaults());
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(database.url());
            dataSource.setUsername(database.username());
            dataSource.setPassword(database.password());
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
            Ledger ledger = new Ledger(jdbc, transactions);
            jdbc.update("insert into offboarding_run (id, kind, file_name, file_sha256, trigger_source, sandbox, "
                    + "created_at) values (1, 'VALIDATE', 'x.csv', ?, 'CLI', false, current_timestamp)", "0".repeat(64));
            TransactionTemplate transaction = new TransactionTemplate(transactions);

            // CPU time of this thread, split between our work and the database's: unlike wall time,
            // it does not count the time other processes on a busy machine took.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long processNanos = 0;
            long insertNanos = 0;
            long rows = 0;
            List<LedgerRow> chunk = new ArrayList<>(chunkSize);
            long start = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            try (CsvInput input = CsvInput.open(csv, InputOptions.defaults())) {
                long t0 = threads.getCurrentThreadCpuTime();
                while (input.hasNext()) {
                    chunk.add(stage(input.next(), validator, json));
                    if (chunk.size() == chunkSize || !input.hasNext()) {
                        long t1 = threads.getCurrentThreadCpuTime();
                        processNanos += t1 - t0;
                        List<LedgerRow> batch = List.copyOf(chunk);
                        transaction.executeWithoutResult((status) -> ledger.insert(batch));
                        rows += chunk.size();
                        chunk.clear();
                        t0 = threads.getCurrentThreadCpuTime();
                        insertNanos += t0 - t1;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "CEILING rows=%d seconds=%.2f rowsPerSecond=%.0f cpuSeconds=%.2f rowsPerCpuSecond=%.0f "
                            + "processMicrosPerRow=%.1f insertMicrosPerRow=%.1f processOnlyRowsPerSecond=%.0f "
                            + "insertOnlyRowsPerSecond=%.0f",
                    rows, seconds, rows / seconds, cpuSeconds, rows / cpuSeconds, processNanos / 1e3 / rows,
                    insertNanos / 1e3 / rows, rows / (processNanos / 1e9), rows / (insertNanos / 1e9)));
        }
    }

    /** What StagingProcessor does to a record (its own code is package-private; this is the same work). */
    static LedgerRow stage(CsvRecord record, RowValidator validator, JsonMapper json) {
        ValidationResult result = validator.validate(new RawRow(record.line(), record.get(Column.SERIAL_NUMBER),
                record.get(Column.ACTION_TYPE), record.get(Column.CURRENT_USER_NAME),
                record.get(Column.CURRENT_USER_EMAIL), record.get(Column.CURRENT_USER_COUNTRY),
                record.get(Column.CURRENT_USER_ADDRESS), record.get(Column.CURRENT_USER_PHONE),
                record.get(Column.NEW_RECIPIENT_NAME), record.get(Column.NEW_RECIPIENT_EMAIL), record.get(Column.WIPE),
                record.get(Column.NOTES), record.get(Column.NOTIFICATION_EMAILS)));
        String cells = json.writeValueAsString(record.cells());
        if (!result.valid()) {
            return LedgerRow.staged(1, record.line(), result.serialNumber(), result.serialKey(), result.actionType(),
                    RowState.INVALID, null, false, null, cells, null, String.join("; ", result.problems()));
        }
        OffboardingRequest request = result.request();
        String body = json.writeValueAsString(new DeviceActionRequest(request.actionType(), request.serialNumber(),
                person(request.currentUser()), person(request.newRecipient()), request.wipe(), request.notes(),
                request.notificationEmails().isEmpty() ? null : List.copyOf(request.notificationEmails())));
        return LedgerRow.staged(1, record.line(), request.serialNumber(), request.serialKey(), request.actionType(),
                RowState.VALID, request.wipe(), request.newRecipient() != null, body, cells, "key-" + record.line(),
                null);
    }

    private static DeviceActionRequest.Person person(Person person) {
        return (person == null) ? null
                : new DeviceActionRequest.Person(person.name(), person.email(), person.country(), person.address(),
                        person.phone());
    }

}
