package dev.bulkoffboarding.web;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what. Everything but the health endpoint and the vendor's webhook deliveries (signed,
 * see {@code WebhookReceiver}) needs a login. Viewers read; operators also
 * upload, run, restart and check the inbox. The browser UI uses a form login with a session and
 * CSRF tokens; the REST API and Actuator take HTTP Basic only, without a session and without the
 * browser's login prompt, so a browser never sends credentials to them on another site's behalf.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

    private static final Pattern BCRYPT = Pattern.compile("\\A\\$2[aby]?\\$\\d\\d\\$[./0-9A-Za-z]{53}\\z");

    static final String VIEWER = "VIEWER";

    static final String OPERATOR = "OPERATOR";

    /**
     * The vendor's webhook deliveries: no login and no CSRF token (the vendor has neither), no
     * session; the receiver checks each delivery's signature instead.
     */
    @Bean
    @Order(0)
    SecurityFilterChain webhookSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/webhooks/**")
            .authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.POST, "/webhooks/quipteams")
                .permitAll()
                .anyRequest()
                .denyAll())
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache((cache) -> cache.disable())
            .csrf((csrf) -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ProblemResponses problems) throws Exception {
        http.securityMatcher("/api/**", "/actuator/**")
            .authorizeHttpRequests((requests) -> requests
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers(HttpMethod.GET, "/api/**", "/actuator/**").hasRole(VIEWER)
                .requestMatchers(HttpMethod.POST, "/api/**").hasRole(OPERATOR)
                .anyRequest().denyAll())
            .httpBasic((basic) -> basic.authenticationEntryPoint(problems::unauthorized))
            .exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems::unauthorized)
                .accessDeniedHandler(problems::forbidden))
            .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            // No session and no cookie: a forged cross-site request carries no credentials here.
            .csrf((csrf) -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests((requests) -> requests
                .requestMatchers("/login", "/css/**", "/favicon.ico", "/error").permitAll()
                .requestMatchers(HttpMethod.GET, "/**").hasRole(VIEWER)
                .requestMatchers(HttpMethod.POST, "/logout").authenticated()
                .anyRequest().hasRole(OPERATOR))
            .formLogin((form) -> form.loginPage("/login").defaultSuccessUrl("/runs", false).permitAll())
            .logout((logout) -> logout.logoutSuccessUrl("/login?logout"))
            .headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
                    "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetailsService(WebProperties properties) {
        return new InMemoryUserDetailsManager(users(properties.users()));
    }

    static List<UserDetails> users(Map<String, WebProperties.User> configured) {
        List<UserDetails> users = new ArrayList<>();
        configured.forEach((name, user) -> {
            String hash = (user.password() == null) ? "" : user.password().trim();
            hash = hash.startsWith("{bcrypt}") ? hash.substring("{bcrypt}".length()) : hash;
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalStateException("offboarding.web.users." + name + ".password must be a BCrypt hash "
                        + "($2a$10$...), not a password; make one with: bulk-offboarding serve --hash-password");
            }
            users.add(User.withUsername(name).password(hash).roles(roles(user.role())).build());
        });
        if (users.isEmpty()) {
            users.add(oneTimeOperator());
        }
        return users;
    }

    private static String[] roles(WebProperties.Role role) {
        return (role == WebProperties.Role.OPERATOR) ? new String[] { VIEWER, OPERATOR } : new String[] { VIEWER };
    }

    /**
     * Without configured users, an operator "admin" with a password made for this start only, so that
     * no default password exists that someone could guess. It is printed on the console, not logged:
     * log files travel further than a terminal.
     */
    private static UserDetails oneTimeOperator() {
        byte[] random = new byte[15];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        System.out.printf(Locale.ROOT, "%nNo users are configured (offboarding.web.users). For this start only, log in "
                + "as 'admin' (operator) with the password:%n%n    %s%n%nConfigure users to keep a password: see "
                + "'bulk-offboarding serve --hash-password'.%n%n", password);
        System.out.flush();
        return User.withUsername("admin").password(new BCryptPasswordEncoder().encode(password))
            .roles(VIEWER, OPERATOR)
            .build();
    }

}
