package dev.porescope.cli.io;

/** The eight EXIF orientations: how to turn the stored pixels so that the photo is upright. */
final class Orientation {
    private Orientation() { }

    /**
     * The upright image for EXIF orientation {@code tag} (1 = as stored, 2 = mirrored, 3 = rotated 180,
     * 4 = flipped, 5 = transposed, 6 = needs 90 degrees clockwise, 7 = transverse, 8 = needs 90 degrees
     * counter-clockwise).
     */
    static ArgbImage apply(ArgbImage stored, int tag) {
        if (tag <= 1 || tag > 8) return stored;
        int w = stored.width();
        int h = stored.height();
        boolean swap = tag >= 5;
        int outW = swap ? h : w;
        int outH = swap ? w : h;
        int[] src = stored.argb();
        int[] out = new int[src.length];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int sx, sy;
                switch (tag) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                out[y * outW + x] = src[sy * w + sx];
            }
        }
        return new ArgbImage(outW, outH, out);
    }
}
