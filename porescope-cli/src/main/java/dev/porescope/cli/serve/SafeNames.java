package dev.porescope.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File names the server makes from what a client sends: only letters, digits, '-' and '_' survive
 * (no separators, no dots, so no "..", no hidden files), at most {@value #MAX_LENGTH} characters;
 * extensions come from the file's own first bytes, never from the client.
 */
public final class SafeNames {
    static final int MAX_LENGTH = 48;

    private SafeNames() { }

    /** The client's file name without folders and extension, reduced to safe characters; {@code fallback} when nothing is left. */
    public static String stem(String clientName, String fallback) {
        if (clientName == null) return fallback;
        String base = clientName;
        int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
        base = base.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        if (dot > 0) base = base.substring(0, dot);
        StringBuilder safe = new StringBuilder();
        for (int i = 0; i < base.length() && safe.length() < MAX_LENGTH; i++) {
            char c = base.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
            if (ok) {
                safe.append(c);
            } else if (safe.length() > 0 && safe.charAt(safe.length() - 1) != '_') {
                safe.append('_');
            }
        }
        String s = safe.toString().replaceAll("^[_-]+|[_-]+$", "");
        return s.isEmpty() ? fallback : s;
    }

    /**
     * "png" or "jpg" from the file's signature; for anything else the client's extension when it is
     * 1-5 letters or digits (so that the decoder's message names the file as the client did), else "img".
     */
    public static String imageExtension(Path file, String clientName) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        if (head.length >= 4 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') return "png";
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) return "jpg";
        String name = clientName == null ? "" : clientName;
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        return ext.matches("[a-z0-9]{1,5}") ? ext : "img";
    }

    /** {@code text} cut to 40 printable ASCII characters, for echoing a client string in a message. */
    public static String printable(String text) {
        if (text == null) return "";
        String s = text.replaceAll("[^\\x20-\\x7E]", "?");
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
