package dev.bulkoffboarding.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/** {@code runs prune} on the default embedded database: an H2 file per test method. */
class PruneCliOnH2IntegrationTests extends PruneCliIntegrationTests {

    private String url() {
        return "jdbc:h2:file:" + this.dir.resolve("data").resolve("bulk-offboarding") + ";AUTO_SERVER=TRUE";
    }

    @Override
    List<String> databaseArguments() {
        return List.of("--spring.datasource.url=" + url());
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "sa", "");
    }

}
