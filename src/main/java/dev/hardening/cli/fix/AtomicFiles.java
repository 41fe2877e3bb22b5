package dev.hardening.cli.fix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;

/** Rewrites a file whole or not at all: a temporary file beside it, renamed over it. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Replaces the content of {@code file} with {@code text} (UTF-8), keeping a leading byte order mark it had and its
     * permissions. A reader sees the old or the new content, never a mix; a failure leaves the old file.
     */
    public static void replace(Path file, String text) throws IOException {
        byte[] old = Files.readAllBytes(file);
        boolean bom = old.length >= 3 && (old[0] & 0xff) == 0xEF && (old[1] & 0xff) == 0xBB && (old[2] & 0xff) == 0xBF;
        Path directory = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(temp, ((bom ? "\uFEFF" : "") + text).getBytes(StandardCharsets.UTF_8));
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Files.setPosixFilePermissions(temp, posix.readAttributes().permissions());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

}
