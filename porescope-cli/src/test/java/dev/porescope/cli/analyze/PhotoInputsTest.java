package dev.porescope.cli.analyze;

import dev.porescope.cli.analyze.PhotoInputs.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** analyze's arguments to photos: folders listed in order, output names that cannot collide, empty folders as failures. */
class PhotoInputsTest {
    @TempDir
    Path tmp;

    @Test
    void foldersAreListedSortedAndStemsThatCollideKeepTheirExtension() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("photos"));
        for (String name : List.of("b.png", "a.png", "a.jpg", "notes.txt", "c.JPEG")) Files.writeString(folder.resolve(name), "x");
        Path single = Files.writeString(tmp.resolve("d.png"), "x");
        Path empty = Files.createDirectories(tmp.resolve("empty"));

        List<Input> inputs = PhotoInputs.expand(List.of(folder, single, empty));

        // by hand: the folder's photos in name order (notes.txt is not one), then d.png; a.jpg and a.png share a stem
        assertEquals(List.of(folder.resolve("a.jpg"), folder.resolve("a.png"), folder.resolve("b.png"), folder.resolve("c.JPEG"),
                single, empty), inputs.stream().map(Input::photo).toList());
        assertEquals(List.of("a_jpg", "a_png", "b", "c", "d"), inputs.subList(0, 5).stream().map(Input::name).toList());
        for (Input photo : inputs.subList(0, 5)) assertNull(photo.problem(), photo.toString());
        Input last = inputs.get(5);
        assertNull(last.name());
        assertTrue(last.problem().getMessage().contains(empty.toString()) && last.problem().getMessage().contains("no photos"),
                last.problem().getMessage());
    }
}
