package dev.porescope.torch.train;

import dev.porescope.core.data.LabelledImage;
import dev.porescope.torch.TestImages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DataSplitTest {

    @Test
    void manyPhotosHoldOutWholePhotosBySeed() {
        List<LabelledImage> photos = new ArrayList<>();
        for (int i = 0; i < 5; i++) photos.add(TestImages.discs("p" + i, 32, 32, 3, i));
        DataSplit a = DataSplit.of(photos, 0.2, 7);
        assertEquals(1, a.validation().size());
        assertEquals(4, a.training().size());
        Set<String> names = new HashSet<>();
        a.training().forEach(p -> names.add(p.name()));
        a.validation().forEach(p -> assertTrue(names.add(p.name()), "photo in both parts"));
        assertEquals(5, names.size());
        assertEquals(a.validation().get(0).name(), DataSplit.of(photos, 0.2, 7).validation().get(0).name());
    }

    @Test
    void onePhotoHoldsOutItsBottomBand() {
        LabelledImage photo = TestImages.discs("face", 40, 100, 20, 1);
        DataSplit s = DataSplit.of(List.of(photo), 0.25, 1);
        LabelledImage top = s.training().get(0);
        LabelledImage bottom = s.validation().get(0);
        assertEquals(75, top.luma().height());
        assertEquals(25, bottom.luma().height());
        assertEquals(photo.luma().crop(0, 75, 40, 25), bottom.luma());
        assertEquals(photo.label().crop(0, 0, 40, 75), top.label());
    }

    @Test
    void zeroMeansNoValidation() {
        DataSplit s = DataSplit.of(List.of(TestImages.discs("a", 32, 32, 3, 1)), 0, 1);
        assertTrue(s.validation().isEmpty());
        assertEquals(1, s.training().size());
    }
}
