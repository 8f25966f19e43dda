package dev.porescope.torch;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.*;

class UNetModuleTest {
    static final UNetSpec TINY = UNetSpec.family("test-tiny", 4, 8, 16);

    static ModelCard card(UNetSpec spec) {
        return new ModelCard(ModelCard.FORMAT, spec.name(), spec, Preprocessing.standard(), 0.5, 1, "torchscript",
                "fp32", null, 1, 0, Map.of(), Map.of(), List.of(), Map.of());
    }

    static float[] ramp(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Test
    void outputShapeAndParameterCountFollowTheSpec() {
        try (UNetModule m = UNetModule.create(TINY, 3)) {
            long count = m.weights().entrySet().stream()
                    .filter(e -> !e.getKey().endsWith("_rm") && !e.getKey().endsWith("_rv"))
                    .mapToLong(e -> e.getValue().length).sum();
            assertEquals(TINY.parameterCount(), count);
            m.train(false);
            long[] shape = Torch.inference("test", () -> Torch.shape(m.forward(Torch.tensor(ramp(2 * 32 * 24, 1), 2, 1, 24, 32))));
            assertArrayEquals(new long[]{2, 2, 24, 32}, shape);
            float[] p = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(ramp(32 * 24, 1), 1, 1, 24, 32))));
            for (int i = 0; i < 32 * 24; i++) {
                assertEquals(1.0, p[i] + p[i + 32 * 24], 1e-5, "softmax over classes sums to one");
            }
        }
    }

    @Test
    void paperSpecHasAboutTwoMillionParameters() {
        try (UNetModule m = UNetModule.create(UNetSpec.paper(), 1)) {
            long count = m.trainableNames().stream().mapToLong(n -> m.weights().get(n).length).sum();
            assertEquals(UNetSpec.paper().parameterCount(), count);
        }
    }

    @Test
    void saveLoadRoundTripGivesIdenticalOutputAndCarriesTheCard(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.pt");
        float[] input = ramp(32 * 32, 5);
        float[] before;
        try (UNetModule m = UNetModule.create(TINY, 7)) {
            m.train(false);
            before = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, 32, 32))));
            m.train(true);
            m.save(file, card(TINY));
            assertTrue(m.isTraining(), "saving keeps the training mode");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertTrue(zip.stream().anyMatch(e -> e.getName().endsWith("/extra/porescope.json")));
        }
        assertEquals(TINY, ModelFiles.readCard(file).spec());
        try (UNetModule loaded = UNetModule.load(file)) {
            assertFalse(loaded.isTraining());
            float[] after = Torch.inference("test", () -> Torch.floats(loaded.forward(Torch.tensor(input, 1, 1, 32, 32))));
            assertArrayEquals(before, after);
            assertEquals("test-tiny", loaded.card().name());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void generatedSourceHasOneLinePerLayer() {
        String src = TorchScriptGenerator.source(UNetSpec.paper());
        long layerLines = src.lines().filter(l -> l.startsWith("    ") && l.contains(" = ")).count();
        assertEquals(UNetSpec.paper().layers().size() - 1, layerLines); // softmax is forward()'s
        assertTrue(src.contains("self.enc0_w"));
        assertTrue(src.contains("self.training"));
    }
}
