package db.migration;

import java.sql.Connection;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Creates Spring Batch's job repository tables with the DDL script that ships inside
 * spring-batch-core, so that H2 and PostgreSQL get their tables from the same Flyway history as
 * the row ledger (Boot's {@code spring.batch.jdbc.initialize-schema} would only do it for
 * in-memory databases by default, and outside Flyway's ordering).
 */
public class V1__spring_batch_schema extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String platform = product.contains("postgres") ? "postgresql" : product.contains("h2") ? "h2" : null;
        if (platform == null) {
            throw new IllegalStateException("Unsupported database: " + product + " (use H2 or PostgreSQL)");
        }
        var populator = new ResourceDatabasePopulator(
                new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql"));
        populator.populate(new SingleConnectionDataSource(connection, true).getConnection());
    }

}
