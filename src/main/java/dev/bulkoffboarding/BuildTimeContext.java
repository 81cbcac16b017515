package dev.bulkoffboarding;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * The command-line tools start from the bean definitions prepared when the jar was built (Spring AOT:
 * the spring-boot-maven-plugin's {@code process-aot} goal), instead of reading every configuration
 * class and auto-configuration and evaluating their conditions again at each start (about half a
 * second of a command's two). {@code serve} always starts the usual way.
 * <p>
 * Prepared definitions are only right while everything that chose them is the same at run time. The
 * class path is the jar's own; the web application type is fixed (not {@code serve}); what can
 * differ is the settings the conditions read ({@code spring.flyway.enabled},
 * {@code offboarding.cli.enabled}, {@code spring.aop.proxy-target-class}...). So the build records
 * the name of every setting read while the definitions were chosen, with a digest of its value then
 * ({@link #RECORD}), and a start uses the prepared definitions only when each of those settings has
 * the same value now; any difference, a start from classes rather than a jar ({@code spring-boot:run},
 * whose classes may be newer than their prepared definitions) or a jar built without them starts the
 * usual way. A setting whose value only decides whether it is there at all (the database URL) is
 * recorded as present or absent. {@code -Dspring.aot.enabled} given by the operator wins either way.
 */
final class BuildTimeContext {

    private static final Log logger = LogFactory.getLog(BuildTimeContext.class);

    /** Where the build writes the settings the conditions read: name, then a digest of the value. */
    static final String RECORD = "META-INF/bulk-offboarding/build-time-context.properties";

    /**
     * Settings whose conditions only ask whether they have a value (Spring Boot's embedded-database
     * condition and the database URL), recorded as present or absent: production points it elsewhere.
     */
    static final Set<String> PRESENCE_ONLY = Set.of("spring.datasource.url");

    /**
     * Read for the start-up log line, not to choose beans: the process id differs at every start, the
     * version comes from the jar's manifest, which the build's folder of classes does not have.
     */
    static final Set<String> IGNORED = Set.of("spring.application.pid", "spring.application.version");

    private static final String RECORDER = "bulk-offboarding.settings-read-at-build";

    private static final String ABSENT = "absent";

    private static final String PRESENT = "present";

    private BuildTimeContext() {
    }

    /** Called by {@code main} for every command but {@code serve}. */
    static void apply(SpringApplication application) {
        if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            application.addListeners(new Recording());
        }
        else if (System.getProperty(AotDetector.AOT_ENABLED) == null && startedFromJar()) {
            application.addListeners(new Deciding());
        }
    }

    /** From a jar (executable or extracted); not from a folder of classes that may be newer than the record. */
    static boolean startedFromJar() {
        URL location = BuildTimeContext.class.getProtectionDomain().getCodeSource().getLocation();
        if (location == null) {
            return false;
        }
        if (!"file".equals(location.getProtocol())) {
            return true;
        }
        try {
            return Files.isRegularFile(Path.of(location.toURI()));
        }
        catch (URISyntaxException | IllegalArgumentException ex) {
            return false;
        }
    }

    /** The settings that differ from the build, or {@code null} when this jar holds no record. */
    static List<String> changedSettings(Environment environment, ClassLoader classLoader) {
        Properties recorded = new Properties();
        try (InputStream in = (classLoader != null) ? classLoader.getResourceAsStream(RECORD) : null) {
            if (in == null) {
                return null;
            }
            recorded.load(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + RECORD, ex);
        }
        List<String> changed = new ArrayList<>();
        for (String name : new TreeSet<>(recorded.stringPropertyNames())) {
            if (!recorded.getProperty(name).equals(currentDigest(environment, name))) {
                changed.add(name);
            }
        }
        return changed;
    }

    /** A value that cannot be read now (a placeholder without a value, say) counts as changed. */
    private static String currentDigest(Environment environment, String name) {
        try {
            return digest(name, environment.getProperty(name));
        }
        catch (RuntimeException ex) {
            return "unreadable";
        }
    }

    static String digest(String name, String value) {
        if (value == null) {
            return ABSENT;
        }
        if (PRESENCE_ONLY.contains(name)) {
            return value.isBlank() ? ABSENT : PRESENT;
        }
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 16);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** At run time: switches the prepared definitions on when the settings that chose them are unchanged. */
    static final class Deciding implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            ClassLoader classLoader = event.getSpringApplication().getClassLoader();
            String initializer = event.getSpringApplication().getMainApplicationClass().getName()
                    + "__ApplicationContextInitializer";
            if (!ClassUtils.isPresent(initializer, classLoader)) {
                return;
            }
            List<String> changed;
            try {
                changed = changedSettings(event.getEnvironment(), classLoader);
            }
            catch (UncheckedIOException ex) {
                // a damaged jar: the usual start reports what is wrong with it, if anything
                return;
            }
            if (changed == null) {
                return;
            }
            if (changed.isEmpty()) {
                System.setProperty(AotDetector.AOT_ENABLED, "true");
            }
            else if (logger.isDebugEnabled()) {
                // names only: a value may be a secret
                logger.debug("Starting without the definitions prepared at build time: " + changed
                        + " differ from the build");
            }
        }

        /** After the configuration files are read. */
        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

    }

    /**
     * At build time: puts a property source first that notes every setting asked for, and answers
     * nothing, until the bean definitions are chosen. The post-processors that run after that run again
     * at every start (the private data folder's, say): what they read does not choose definitions.
     */
    static final class Recording implements ApplicationListener<ApplicationEvent>, Ordered {

        private final SettingsRead settingsRead = new SettingsRead();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
                prepared.getEnvironment().getPropertySources().addFirst(this.settingsRead);
            }
            else if (event instanceof ApplicationPreparedEvent prepared) {
                // runs after every registry post-processor (configuration classes, conditions), before the others
                prepared.getApplicationContext().addBeanFactoryPostProcessor((beanFactory) -> this.settingsRead.stop());
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }

    }

    static final class SettingsRead extends PropertySource<Set<String>> {

        private volatile boolean recording = true;

        SettingsRead() {
            super(RECORDER, ConcurrentHashMap.newKeySet());
        }

        @Override
        public Object getProperty(String name) {
            if (this.recording) {
                getSource().add(name);
            }
            return null;
        }

        void stop() {
            this.recording = false;
        }

        Set<String> names() {
            Set<String> names = new TreeSet<>(getSource());
            names.removeAll(IGNORED);
            return names;
        }

    }

    /** Writes {@link #RECORD} with the generated code (registered in {@code META-INF/spring/aot.factories}). */
    static final class Record implements BeanFactoryInitializationAotProcessor {

        @Override
        public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
            if (!beanFactory.containsBean("environment")
                    || !(beanFactory.getBean("environment") instanceof ConfigurableEnvironment environment)
                    || !(environment.getPropertySources().get(RECORDER) instanceof SettingsRead settingsRead)) {
                return null;
            }
            Map<String, String> digests = new TreeMap<>();
            settingsRead.stop();
            for (String name : settingsRead.names()) {
                digests.put(name, digest(name, environment.getProperty(name)));
            }
            environment.getPropertySources().remove(RECORDER);
            Properties record = new Properties();
            record.putAll(digests);
            StringWriter content = new StringWriter();
            try {
                record.store(content, "Settings read while the command-line context was prepared at build time, with a\n"
                        + "digest of their values then: a start uses the prepared context only when all are the same.");
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return (generationContext, code) -> generationContext.getGeneratedFiles()
                .addResourceFile(RECORD, content.toString());
        }

    }

}
