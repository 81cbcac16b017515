package dev.bulkoffboarding.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Runs a {@code @SpringBootTest} class against a PostgreSQL database of its own (see
 * {@link PostgresDatabase}). The context is closed after the class, which drops the database and
 * gives its connections back to the server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(PostgresTestConfiguration.class)
@DirtiesContext
public @interface OnPostgres {

}
