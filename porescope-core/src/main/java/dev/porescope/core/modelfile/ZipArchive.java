package dev.porescope.core.modelfile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read from bytes through its central directory, every entry's data checked
 * against its CRC, with limits against zip bombs (entry count, inflated bytes). PyTorch writes
 * {@code .pt}/{@code .ptl} files as zips with data descriptors, which {@code ZipInputStream}
 * cannot read for stored entries; this reads what PyTorch's writer (miniz) produces, zip64 included.
 * Errors are {@link IllegalArgumentException}s saying what is wrong (the caller names the file).
 */
final class ZipArchive {
    /** More entries than any PoreScope network has tensors and code files. */
    static final int MAX_ENTRIES = 10_000;
    /** Inflated bytes over all compressed entries (PyTorch compresses only code and debug info). */
    static final long MAX_INFLATED_BYTES = 64L << 20;

    private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50, LOCAL = 0x04034b50;

    private final byte[] bytes;
    private final Map<String, Entry> entries;

    /** One entry; {@code dataStart} is where its (possibly compressed) data begins in the file. */
    record Entry(String name, int method, long crc, long compressedSize, long size, int dataStart) { }

    private ZipArchive(byte[] bytes, Map<String, Entry> entries) {
        this.bytes = bytes;
        this.entries = entries;
    }

    static boolean looksLikeZip(byte[] b) {
        return b.length >= 4 && u32(b, 0) == LOCAL;
    }

    /** Entry names in directory order. */
    List<String> names() { return new ArrayList<>(entries.keySet()); }

    Entry entry(String name) { return entries.get(name); }

    /** Reads the central directory and checks every entry's data (CRC, sizes, inflated limit). */
    static ZipArchive read(byte[] b) {
        int eocd = -1;
        for (int i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
            if (u32(b, i) == EOCD) { eocd = i; break; }
        }
        if (eocd < 0) throw new IllegalArgumentException("no zip end record (truncated, or not a zip archive)");
        long count = u16(b, eocd + 10);
        long cdSize = u32(b, eocd + 12) & 0xffffffffL;
        long cdOffset = u32(b, eocd + 16) & 0xffffffffL;
        if (u16(b, eocd + 4) != 0 || u16(b, eocd + 6) != 0) throw new IllegalArgumentException("multi-part zip archives are not model files");
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            int loc = eocd - 20;
            if (loc < 0 || u32(b, loc) != ZIP64_LOCATOR) throw new IllegalArgumentException("zip64 end record missing");
            long z = u64(b, loc + 8);
            if (z < 0 || z > b.length - 56 || u32(b, (int) z) != ZIP64_EOCD) throw new IllegalArgumentException("zip64 end record damaged");
            count = u64(b, (int) z + 32);
            cdSize = u64(b, (int) z + 40);
            cdOffset = u64(b, (int) z + 48);
        }
        if (count > MAX_ENTRIES) throw new IllegalArgumentException(count + " zip entries, more than the " + MAX_ENTRIES + " a model file may hold");
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > b.length) throw new IllegalArgumentException("zip directory runs past the end of the file (truncated)");

        Map<String, Entry> entries = new LinkedHashMap<>();
        int pos = (int) cdOffset;
        long inflated = 0;
        for (long i = 0; i < count; i++) {
            check(b, pos, 46);
            if (u32(b, pos) != CENTRAL) throw new IllegalArgumentException("zip directory entry " + i + " is damaged");
            int flags = u16(b, pos + 8), method = u16(b, pos + 10);
            long crc = u32(b, pos + 16) & 0xffffffffL;
            long csize = u32(b, pos + 20) & 0xffffffffL, size = u32(b, pos + 24) & 0xffffffffL;
            int nameLen = u16(b, pos + 28), extraLen = u16(b, pos + 30), commentLen = u16(b, pos + 32);
            long local = u32(b, pos + 42) & 0xffffffffL;
            check(b, pos + 46, nameLen + extraLen + commentLen);
            String name = new String(b, pos + 46, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            // zip64 extra field: the 0xffffffff fields, in order size, compressed size, offset
            int e = pos + 46 + nameLen, end = e + extraLen;
            while (e + 4 <= end) {
                int id = u16(b, e), len = u16(b, e + 2);
                if (e + 4 + len > end) break;
                if (id == 1) {
                    int f = e + 4;
                    if (size == 0xffffffffL && f + 8 <= e + 4 + len) { size = u64(b, f); f += 8; }
                    if (csize == 0xffffffffL && f + 8 <= e + 4 + len) { csize = u64(b, f); f += 8; }
                    if (local == 0xffffffffL && f + 8 <= e + 4 + len) { local = u64(b, f); }
                }
                e += 4 + len;
            }
            pos += 46 + nameLen + extraLen + commentLen;
            if ((flags & 1) != 0) throw new IllegalArgumentException("entry " + name + " is encrypted");
            if (method != 0 && method != 8) throw new IllegalArgumentException("entry " + name + " uses compression method " + method);
            if (entries.containsKey(name)) throw new IllegalArgumentException("entry " + name + " appears twice");
            if (local < 0 || local > b.length - 30 || u32(b, (int) local) != LOCAL) {
                throw new IllegalArgumentException("entry " + name + " points outside the file (truncated)");
            }
            long dataStart = local + 30 + u16(b, (int) local + 26) + u16(b, (int) local + 28);
            if (csize < 0 || size < 0 || dataStart + csize > b.length) {
                throw new IllegalArgumentException("entry " + name + " runs past the end of the file (truncated)");
            }
            if (method == 0 && csize != size) throw new IllegalArgumentException("stored entry " + name + " has two different sizes");
            if (method == 8) {
                inflated += size;
                if (inflated > MAX_INFLATED_BYTES) {
                    throw new IllegalArgumentException("compressed entries would inflate to more than " + (MAX_INFLATED_BYTES >> 20)
                            + " MB (a zip bomb?)");
                }
            }
            Entry entry = new Entry(name, method, crc, csize, size, (int) dataStart);
            entries.put(name, entry);
        }
        ZipArchive zip = new ZipArchive(b, Collections.unmodifiableMap(entries));
        for (Entry entry : entries.values()) zip.verify(entry);
        return zip;
    }

    /** Checks an entry's CRC (a stored entry in place, without copying it). */
    private void verify(Entry e) {
        if (e.method() != 0) {
            data(e);
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, e.dataStart(), (int) e.size());
        if (crc.getValue() != e.crc()) {
            throw new IllegalArgumentException("entry " + e.name() + " is corrupt (checksum mismatch)");
        }
    }

    /** The entry's data, inflated and checked against its CRC and size. */
    byte[] data(Entry e) {
        byte[] out;
        if (e.method() == 0) {
            out = java.util.Arrays.copyOfRange(bytes, e.dataStart(), e.dataStart() + (int) e.size());
        } else {
            if (e.size() > MAX_INFLATED_BYTES) throw new IllegalArgumentException("entry " + e.name() + " is too large");
            out = new byte[(int) e.size()];
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(bytes, e.dataStart(), (int) e.compressedSize());
                int n = 0;
                while (n < out.length && !inflater.finished()) {
                    int k = inflater.inflate(out, n, out.length - n);
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                    n += k;
                }
                byte[] one = new byte[1];
                if (n != out.length || (!inflater.finished() && inflater.inflate(one) > 0)) {
                    throw new IllegalArgumentException("entry " + e.name() + " does not inflate to its stated size");
                }
            } catch (DataFormatException ex) {
                throw new IllegalArgumentException("entry " + e.name() + " is corrupt (" + ex.getMessage() + ")");
            } finally {
                inflater.end();
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw new IllegalArgumentException("entry " + e.name() + " is corrupt (checksum mismatch)");
        }
        return out;
    }

    private static void check(byte[] b, long pos, long n) {
        if (pos < 0 || n < 0 || pos + n > b.length) throw new IllegalArgumentException("zip directory runs past the end of the file (truncated)");
    }

    static int u16(byte[] b, int pos) {
        check(b, pos, 2);
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8;
    }

    static int u32(byte[] b, int pos) {
        check(b, pos, 4);
        return (b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8 | (b[pos + 2] & 0xff) << 16 | (b[pos + 3] & 0xff) << 24;
    }

    static long u64(byte[] b, int pos) {
        check(b, pos, 8);
        return (u32(b, pos) & 0xffffffffL) | (long) u32(b, pos + 4) << 32;
    }
}
