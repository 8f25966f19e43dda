package dev.porescope.core.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Pure-Java structure checks of a photo file before a decoder sees it. Decoders are lenient: a PNG
 * cut short can come back with its missing rows filled in. This check walks the file's own framing
 * instead: the PNG chunk list up to {@code IEND}.
 */
public final class ImageCheck {
    /** The file's problem, as a phrase that completes "FILE is ..." (for example "truncated: ..."). */
    public static final class BadImageException extends IllegalArgumentException {
        public BadImageException(String problem) {
            super(problem);
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** The PNG specification's limit on a chunk's length. */
    private static final long MAX_CHUNK_LENGTH = (1L << 31) - 1;

    private ImageCheck() { }

    /** True when {@code head} starts like a PNG file. */
    public static boolean isPng(byte[] head) {
        return head.length >= PNG_SIGNATURE.length && Arrays.equals(Arrays.copyOf(head, PNG_SIGNATURE.length), PNG_SIGNATURE);
    }

    /** True when {@code head} starts like a JPEG file (SOI marker). */
    public static boolean isJpeg(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8;
    }

    /**
     * Walks a PNG's chunks ({@code in} positioned at its start) and fails when the file ends before
     * {@code IEND}, a chunk's length is impossible, or there is no {@code IHDR} first / no image data.
     */
    public static void checkPng(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] signature = new byte[PNG_SIGNATURE.length];
        try {
            data.readFully(signature);
        } catch (EOFException e) {
            throw new BadImageException("truncated: it ends inside the PNG signature");
        }
        if (!Arrays.equals(signature, PNG_SIGNATURE)) throw new BadImageException("not a PNG file (no PNG signature)");
        boolean first = true;
        boolean imageData = false;
        long offset = PNG_SIGNATURE.length;
        while (true) {
            long length;
            byte[] type = new byte[4];
            try {
                length = data.readInt() & 0xFFFFFFFFL;
                data.readFully(type);
            } catch (EOFException e) {
                throw new BadImageException("truncated: it ends at byte " + offset + " before the PNG end chunk (IEND)"
                        + (imageData ? ", after image data began" : ", before any image data"));
            }
            String name = chunkName(type);
            if (length > MAX_CHUNK_LENGTH) {
                throw new BadImageException("corrupt: PNG chunk " + name + " at byte " + offset + " claims " + length + " bytes");
            }
            if (first && !name.equals("IHDR")) throw new BadImageException("corrupt: the first PNG chunk is " + name + ", not IHDR");
            first = false;
            long missing = skip(data, length + 4); // data and CRC
            if (missing > 0) {
                throw new BadImageException("truncated: it ends inside PNG chunk " + name + " (" + missing
                        + " of its " + (length + 4) + " bytes missing)");
            }
            offset += 8 + length + 4;
            if (name.equals("IDAT")) imageData = true;
            if (name.equals("IEND")) {
                if (!imageData) throw new BadImageException("corrupt: the PNG has no image data (IDAT)");
                return;
            }
        }
    }

    private static long skip(DataInputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) return left;
                skipped = 1;
            }
            left -= skipped;
        }
        return 0;
    }

    private static String chunkName(byte[] type) {
        StringBuilder s = new StringBuilder(4);
        for (byte b : type) s.append(b >= 0x20 && b < 0x7F ? (char) b : '?');
        return s.toString();
    }
}
