package dev.bulkoffboarding.cli;

import java.util.List;
import java.util.UUID;

/** The command-line contract on the default embedded database: an H2 file per test method. */
class CliOnH2IntegrationTests extends CliIntegrationTests {

    private final String database = UUID.randomUUID().toString();

    @Override
    List<String> databaseArguments() {
        return List.of("--spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("db").resolve(this.database)
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
    }

}
