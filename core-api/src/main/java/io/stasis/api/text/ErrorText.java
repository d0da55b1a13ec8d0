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
        // new RuntimeException(cause) takes the cause's toString() as its message, class name and all
        boolean wrapper = e.getCause() != null && e.getCause() != e && e.getCause().toString().equals(message);
        if (message != null && !message.isBlank() && !wrapper) {
            return message;
        }
        return e.getCause() != null && e.getCause() != e ? of(e.getCause()) : words(e.getClass().getSimpleName());
    }

    /** strerror's wording of the errno behind each exception type java.nio gives without a reason */
    private static String fileReason(FileSystemException f) {
        return f instanceof AccessDeniedException ? "Permission denied"
                : f instanceof NoSuchFileException ? "No such file or directory"
                : f instanceof FileAlreadyExistsException ? "File exists"
                : f instanceof NotDirectoryException ? "Not a directory"
                : f instanceof DirectoryNotEmptyException ? "Directory not empty"
                : f instanceof NotLinkException ? "Not a symbolic link"
                : words(f.getClass().getSimpleName());
    }

    /** "UnresolvedAddressException" → "unresolved address" */
    private static String words(String simpleName) {
        String bare = simpleName.replaceAll("(Exception|Error)$", "");
        return bare.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
