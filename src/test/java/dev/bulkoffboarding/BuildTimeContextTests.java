package dev.bulkoffboarding;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class BuildTimeContextTests {

    @Test
    void aValueIsRecordedAsADigestAndTheDatabaseUrlOnlyAsThereOrNot() {
        assertThat(BuildTimeContext.digest("spring.flyway.enabled", null)).isEqualTo("absent");
        assertThat(BuildTimeContext.digest("spring.flyway.enabled", "false")).hasSize(32)
            .doesNotContain("false")
            .isNotEqualTo(BuildTimeContext.digest("spring.flyway.enabled", "true"));
        assertThat(BuildTimeContext.digest("spring.datasource.url", "jdbc:postgresql://db/offboarding"))
            .isEqualTo(BuildTimeContext.digest("spring.datasource.url", "jdbc:h2:file:./data/bulk-offboarding"))
            .isEqualTo("present");
        assertThat(BuildTimeContext.digest("spring.datasource.url", " ")).isEqualTo("absent");
    }

    @Test
    void settingsThatDifferFromTheBuildAreNamed() {
        ClassLoader record = recording("spring.flyway.enabled=absent\n" + "spring.datasource.url=present\n"
                + "spring.main.web-application-type=" + BuildTimeContext.digest("x", "none") + "\n");
        MockEnvironment same = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/x")
            .withProperty("spring.main.web-application-type", "none");
        MockEnvironment different = new MockEnvironment().withProperty("spring.flyway.enabled", "false")
            .withProperty("spring.main.web-application-type", "servlet");

        assertThat(BuildTimeContext.changedSettings(same, record)).isEmpty();
        assertThat(BuildTimeContext.changedSettings(different, record)).containsExactly("spring.datasource.url",
                "spring.flyway.enabled", "spring.main.web-application-type");
    }

    @Test
    void aSettingThatCannotBeReadNowCountsAsChanged() {
        ClassLoader record = recording("spring.flyway.enabled=absent\n");
        MockEnvironment unresolvable = new MockEnvironment().withProperty("spring.flyway.enabled", "${NOT_SET}");

        assertThat(BuildTimeContext.changedSettings(unresolvable, record)).containsExactly("spring.flyway.enabled");
    }

    @Test
    void withoutARecordThereIsNothingToCompare() {
        assertThat(BuildTimeContext.changedSettings(new MockEnvironment(), recording(null))).isNull();
    }

    @Test
    void classesFromAFolderAreNotStartedFromTheirPreparedContext() {
        // the tests run from target/classes, as spring-boot:run does: they may be newer than the record
        assertThat(BuildTimeContext.startedFromJar()).isFalse();
    }

    private static ClassLoader recording(String content) {
        return new ClassLoader(null) {

            @Override
            public InputStream getResourceAsStream(String name) {
                return (content != null && BuildTimeContext.RECORD.equals(name))
                        ? new ByteArrayInputStream(content.getBytes(StandardCharsets.ISO_8859_1)) : null;
            }

        };
    }

}
