package dev.bulkoffboarding.support;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Points a test's application context at a fresh PostgreSQL database, and drops that database
 * when the context closes (after its data source, which depends on it).
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresTestConfiguration {

    @Bean(destroyMethod = "close")
    PostgresDatabase postgresTestDatabase() {
        return PostgresDatabase.create();
    }

    @Bean
    JdbcConnectionDetails postgresTestConnectionDetails(PostgresDatabase postgresTestDatabase) {
        return postgresTestDatabase.connectionDetails();
    }

}
