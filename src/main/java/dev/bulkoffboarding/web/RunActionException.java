package dev.bulkoffboarding.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;

/** Why a run action was refused, with the HTTP status the API answers. */
class RunActionException extends RuntimeException {

    private final HttpStatus status;

    private final Map<String, Object> properties = new LinkedHashMap<>();

    RunActionException(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    RunActionException with(String name, Object value) {
        this.properties.put(name, value);
        return this;
    }

    HttpStatus status() {
        return this.status;
    }

    Map<String, Object> properties() {
        return this.properties;
    }

}
