package io.vigil.servlet;

import jakarta.servlet.ServletException;

/** The {@code exception} tag: the simple class name of what the application threw, {@code none} otherwise. */
final class ExceptionNames {

    private ExceptionNames() {
    }

    static String of(Throwable error) {
        Throwable cause = error;
        // Containers and frameworks wrap the application's exception; Spring Boot tags the wrapped one too.
        if (cause instanceof ServletException && ((ServletException) cause).getRootCause() != null) {
            cause = ((ServletException) cause).getRootCause();
        }
        String name = cause.getClass().getSimpleName();
        return name.isEmpty() ? cause.getClass().getName() : name; // anonymous classes have no simple name
    }
}
