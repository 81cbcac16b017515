package dev.bulkoffboarding.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.bulkoffboarding.sandbox.SandboxServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Starts the vendor of a {@link SandboxVendorTest} class when its context is created, points the
 * application at it (as a {@code @DynamicPropertySource} would: above every other property
 * source), offers it as a bean, and closes it after the class.
 */
final class SandboxVendorCustomizerFactory implements ContextCustomizerFactory {

    /** The vendor of each test class whose context is loaded, until the class is done. */
    private static final Map<Class<?>, SandboxServer> vendors = new ConcurrentHashMap<>();

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return TestContextAnnotationUtils.hasAnnotation(testClass, SandboxVendorTest.class)
                ? new VendorOfClass(testClass) : null;
    }

    /**
     * Keyed by the test class, so that two classes never share a context, its database or its vendor.
     *
     * @param testClass the concrete test class
     */
    record VendorOfClass(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            SandboxServer vendor = SandboxVendor.immediate();
            SandboxServer earlier = vendors.put(this.testClass, vendor);
            if (earlier != null) {
                earlier.close();
            }
            context.getBeanFactory().registerSingleton("sandboxVendor", vendor);
            TestPropertyValues.of("quipteams.base-url=" + vendor.baseUri(),
                    "quipteams.api-key=" + SandboxServer.sandboxKey())
                .applyTo(context);
        }

    }

    /** Closes the class's vendor once its tests are done, as {@code @AutoClose} on a static field would. */
    static final class CloseAfterClass implements AfterAllCallback {

        @Override
        public void afterAll(ExtensionContext context) {
            SandboxServer vendor = vendors.remove(context.getRequiredTestClass());
            if (vendor != null) {
                vendor.close();
            }
        }

    }

}
