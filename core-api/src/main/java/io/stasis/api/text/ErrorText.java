package io.stasis.api.text;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Why something failed, in words a user reads: what the system said ({@code No space left on device},
 * {@code Permission denied}), never a Java class name. {@code java.nio} often puts only the file's path in an
 * exception's message and says why in its type; the caller's message already names the file.
 */
public final class ErrorText {

    private ErrorText() {
    }

    /** The reason of {@code e}: "Permission denied", "File exists", "unresolved address", … */
    public static String of(Throwable e) {
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : fileReason(f);
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e.getCause() != null && e.getCause() != e ? of(e.getCause()) : words(e.getClass().getSimpleName());
    }

    /** strerror's wording of the errno behind each exception type java.nio gives without a reason */
    private static String fileReason(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (f instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (f instanceof NotLinkException) {
            return "Not a symbolic link";
        }
        return words(f.getClass().getSimpleName());
    }

    /** "UnresolvedAddressException" → "unresolved address" */
    private static String words(String simpleName) {
        String bare = simpleName.replaceAll("(Exception|Error)$", "");
        return bare.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
