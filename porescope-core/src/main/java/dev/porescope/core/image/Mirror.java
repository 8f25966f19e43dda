package dev.porescope.core.image;

/** Mirror reflection of pixel indices (edge pixel not repeated: ... 2 1 | 0 1 2 ... n-1 | n-2 ...). */
public final class Mirror {
    private Mirror() { }

    /** Index {@code i} reflected into [0, n); works for any integer, also far outside the image. */
    public static int index(int i, int n) {
        if (i >= 0 && i < n) return i;
        if (n == 1) return 0;
        int period = 2 * n - 2;
        i = Math.floorMod(i, period);
        return i < n ? i : period - i;
    }
}
