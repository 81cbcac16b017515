package dev.bulkoffboarding.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;

/**
 * A serve context with MockMvc, the sandbox, and two users: {@value #VIEWER} (viewer, password
 * {@value #VIEWER_PASSWORD}) and {@value #OPERATOR} (operator, password {@value #OPERATOR_PASSWORD}).
 * Classes that use it share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "spring.main.web-application-type=servlet", "quipteams.api-key=",
        "offboarding.web.users.vera.password={bcrypt}$2a$04$WwefT8SaLaJAwz2OwQgnbOXKdV/K/vvwUvDPb50d2LuU.zg0Wj9ea",
        "offboarding.web.users.vera.role=viewer",
        "offboarding.web.users.otto.password=$2a$04$IE4mjKefE4JGz5d84rfaTOq8R5keYwBVXRCRVr8EfbJdY0tZ5.drC",
        "offboarding.web.users.otto.role=OPERATOR", "offboarding.web.page-size=10" })
@AutoConfigureMockMvc
@ActiveProfiles("test")
public @interface ServeContext {

    String VIEWER = "vera";

    String VIEWER_PASSWORD = "viewer-secret";

    String OPERATOR = "otto";

    String OPERATOR_PASSWORD = "operator-secret";

}
