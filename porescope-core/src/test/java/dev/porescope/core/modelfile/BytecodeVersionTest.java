package dev.porescope.core.modelfile;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BytecodeVersionTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    @Test
    void readsEachIntegerOpcodeAfterProtoAndMark() {
        assertEquals(OptionalLong.of(8), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'K', 8, 'X')));
        assertEquals(OptionalLong.of(0x0102), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'M', 2, 1)));
        assertEquals(OptionalLong.of(0x04030201), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'J', 1, 2, 3, 4)));
        assertEquals(OptionalLong.of(-1), ModelFileReader.bytecodeVersion(bytes('J', 0xff, 0xff, 0xff, 0xff)));
    }

    @Test
    void anythingElseIsEmpty() {
        assertEquals(OptionalLong.empty(), ModelFileReader.bytecodeVersion(bytes()));
        assertEquals(OptionalLong.empty(), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'K')));
        assertEquals(OptionalLong.empty(), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'M', 2)));
        assertEquals(OptionalLong.empty(), ModelFileReader.bytecodeVersion(bytes(0x80, 2, '(', 'X', 8)));
    }
}
