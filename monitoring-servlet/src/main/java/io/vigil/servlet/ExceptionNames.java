package io.vigil.servlet;

import jakarta.servlet.ServletException;

/** The {@code exception} tag: the simple class name of what the application threw, {@code none} otherwise. */
final class ExceptionNames {

    private ExceptionNames() {
    }

    /**
     * What the application threw, from an async error event: containers wrap it on the way (Tomcat in a
     * plain {@code RuntimeException} around a {@code ServletException}). Only those exact wrapper types are
     * peeled, at most a few levels deep.
     */
    static Throwable unwrapContainer(Throwable error) {
        Throwable current = error;
        for (int depth = 0; depth < 4; depth++) {
            Throwable cause = current.getCause();
            boolean wrapper = current.getClass() == RuntimeException.class || current instanceof ServletException;
            if (!wrapper || cause == null || cause == current) {
                break;
            }
            current = cause;
        }
        return current;
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
