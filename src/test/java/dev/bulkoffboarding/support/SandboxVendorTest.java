package dev.bulkoffboarding.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * The header of a test that runs the whole application against a sandbox vendor of its own:
 * {@code @SpringBootTest} with the {@code test} profile (a database and folders of the context's
 * own), and a {@link dev.bulkoffboarding.sandbox.SandboxServer} that answers at once, enforces no
 * rate budget and is closed after the class. The application sends to it with the sandbox key.
 * The test class gets it with
 *
 * <pre>{@code
 * @Autowired
 * SandboxServer vendor;
 * }</pre>
 *
 * <p>Each test class gets a context of its own, as a class-specific {@code @DynamicPropertySource}
 * would: an abstract contract test's H2 and PostgreSQL subclasses each start their own vendor.
 * Tests that need another vendor (latency, failure ratios, inventory) or another key keep their own
 * header with {@link SandboxVendor}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest
@ActiveProfiles("test")
@ContextCustomizerFactories(SandboxVendorCustomizerFactory.class)
@ExtendWith(SandboxVendorCustomizerFactory.CloseAfterClass.class)
public @interface SandboxVendorTest {

    /** Properties of the test's context, as {@link SpringBootTest#properties()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

}
