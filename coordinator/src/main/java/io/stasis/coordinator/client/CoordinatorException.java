package io.stasis.coordinator.client;

import java.io.IOException;

/** Talking to the coordinator failed; the command line maps every kind to exit code 3. */
public class CoordinatorException extends IOException {

    private static final long serialVersionUID = 1L;

    public CoordinatorException(String message) {
        super(message);
    }

    public CoordinatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
