package dev.bulkoffboarding.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigurationTests {

    static final String HASH = "$2a$04$IE4mjKefE4JGz5d84rfaTOq8R5keYwBVXRCRVr8EfbJdY0tZ5.drC";

    @Test
    void anOperatorIsAlsoAViewer() {
        // when
        List<UserDetails> users = SecurityConfiguration.users(Map.of("otto",
                new WebProperties.User("{bcrypt}" + HASH, WebProperties.Role.OPERATOR)));

        // then
        assertThat(users).singleElement().satisfies((user) -> {
            assertThat(user.getUsername()).isEqualTo("otto");
            assertThat(user.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_OPERATOR");
            assertThat(new BCryptPasswordEncoder().matches("operator-secret", user.getPassword())).isTrue();
        });
    }

    @Test
    void aViewerOnlyViews() {
        List<UserDetails> users = SecurityConfiguration.users(Map.of("vera",
                new WebProperties.User(HASH, WebProperties.Role.VIEWER)));

        assertThat(users.get(0).getAuthorities()).extracting(GrantedAuthority::getAuthority)
            .containsExactly("ROLE_VIEWER");
    }

    @Test
    void aPlainPasswordIsRefusedWithoutBeingRepeated() {
        assertThatIllegalStateException()
            .isThrownBy(() -> SecurityConfiguration.users(Map.of("eve",
                    new WebProperties.User("hunter2", WebProperties.Role.OPERATOR))))
            .withMessageContaining("offboarding.web.users.eve.password must be a BCrypt hash")
            .withMessageContaining("serve --hash-password")
            .withMessageNotContaining("hunter2");
    }

    @Test
    void withoutUsersAOneTimeOperatorPasswordIsPrinted(CapturedOutput output) {
        // when
        List<UserDetails> users = SecurityConfiguration.users(new LinkedHashMap<>());

        // then
        assertThat(users).singleElement().satisfies((user) -> {
            assertThat(user.getUsername()).isEqualTo("admin");
            assertThat(user.getAuthorities()).extracting(GrantedAuthority::getAuthority).contains("ROLE_OPERATOR");
        });
        String printed = output.getOut().lines()
            .dropWhile((line) -> !line.contains("with the password"))
            .skip(2)
            .findFirst()
            .orElseThrow()
            .trim();
        assertThat(printed).hasSize(20);
        assertThat(new BCryptPasswordEncoder().matches(printed, users.get(0).getPassword())).isTrue();
    }

    @Test
    void twoStartsGetTwoPasswords(CapturedOutput output) {
        SecurityConfiguration.users(Map.of());
        SecurityConfiguration.users(Map.of());

        List<String> passwords = output.getOut().lines()
            .filter((line) -> line.startsWith("    ") && !line.isBlank())
            .map(String::trim)
            .toList();
        assertThat(passwords).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aUsersToStringHidesTheHash() {
        assertThat(new WebProperties.User(HASH, WebProperties.Role.VIEWER).toString()).doesNotContain(HASH);
    }

}
