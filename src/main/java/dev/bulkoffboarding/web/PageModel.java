package dev.bulkoffboarding.web;

import java.security.Principal;

import dev.bulkoffboarding.quipteams.ApiMode;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page shows: who is logged in, what they may do, and whether this is the sandbox. */
@ControllerAdvice(assignableTypes = { ReviewController.class, UploadController.class })
@ConditionalOnWebApplication
class PageModel {

    private final ApiMode apiMode;

    PageModel(ApiMode apiMode) {
        this.apiMode = apiMode;
    }

    @ModelAttribute("sandbox")
    boolean sandbox() {
        return this.apiMode.sandbox();
    }

    @ModelAttribute("user")
    String user(Principal principal) {
        return (principal != null) ? principal.getName() : null;
    }

    @ModelAttribute("operator")
    boolean operator(Authentication authentication) {
        return authentication != null && authentication.getAuthorities()
            .stream()
            .anyMatch((authority) -> ("ROLE_" + SecurityConfiguration.OPERATOR).equals(authority.getAuthority()));
    }

}
