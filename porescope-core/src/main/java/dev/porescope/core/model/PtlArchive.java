package dev.porescope.core.model;

import java.util.OptionalLong;

/**
 * Pure-Java reading of PyTorch Mobile lite ({@code .ptl}) archives, shared by the desktop
 * ({@code porescope-torch}) and Android checks that run before any native loader sees a file.
 */
public final class PtlArchive {
    private PtlArchive() { }

    /**
     * The bytecode version: the first element of the tuple pickled in {@code bytecode.pkl}
     * (protocol 2: PROTO, MARK, then BININT1/BININT2/BININT (signed)), or empty when the bytes
     * do not start that way.
     */
    public static OptionalLong bytecodeVersion(byte[] pkl) {
        int i = 0;
        if (pkl.length > 2 && (pkl[0] & 0xff) == 0x80) i = 2;           // PROTO n
        if (i < pkl.length && pkl[i] == '(') i++;                        // MARK
        if (i + 1 < pkl.length) {
            switch (pkl[i]) {
                case 'K': return OptionalLong.of(pkl[i + 1] & 0xff);      // BININT1
                case 'M': if (i + 2 < pkl.length) return OptionalLong.of((pkl[i + 1] & 0xff) | (pkl[i + 2] & 0xff) << 8);  // BININT2
                    break;
                case 'J': if (i + 4 < pkl.length) return OptionalLong.of((pkl[i + 1] & 0xff) | (pkl[i + 2] & 0xff) << 8
                        | (pkl[i + 3] & 0xff) << 16 | (long) pkl[i + 4] << 24);   // BININT (signed)
                    break;
                default: break;
            }
        }
        return OptionalLong.empty();
    }
}
