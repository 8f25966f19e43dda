package dev.porescope.cli.serve;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Client file names reduced to names that cannot leave a folder. */
class SafeNamesTest {
    @Test
    void foldersDotsAndOddCharactersAreDropped() {
        assertEquals("passwd", SafeNames.stem("../../etc/passwd", "photo"));
        assertEquals("evil", SafeNames.stem("..\\..\\evil.png", "photo"));
        assertEquals("my_face_2024", SafeNames.stem("my face (2024).jpg", "photo"));
        assertEquals("photo", SafeNames.stem("..", "photo"));
        assertEquals("hidden", SafeNames.stem(".hidden", "photo"));
        assertEquals("photo", SafeNames.stem("\u00e9\u00e9\u00e9.png", "photo"));
        assertEquals("photo", SafeNames.stem(null, "photo"));
        assertEquals(SafeNames.MAX_LENGTH, SafeNames.stem("a".repeat(500) + ".png", "photo").length());
    }
}
