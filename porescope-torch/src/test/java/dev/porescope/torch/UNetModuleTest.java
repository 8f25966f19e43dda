package dev.porescope.torch;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.preprocess.Preprocessing;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Assumptions;
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
            // by hand for widths 4/8/16: enc 9*4+8, 9*4*8+16, 9*8*16+32; up-convs 4*16*8+8, 4*8*4+4;
            // dec 9*16*8+16, 9*8*4+8; head 4*2+2
            assertEquals(3_658, libtorchParameterCount(m));
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
            assertEquals(2_131_874, libtorchParameterCount(m)); // the README's figure, computed by hand in UNetSpecTest
        }
    }

    /** Trainable elements as libtorch counts them (its parameter list, not the spec's). */
    private static long libtorchParameterCount(UNetModule m) {
        return Torch.step("counting", () -> {
            long n = 0;
            org.bytedeco.pytorch.named_parameter_list params = m.jit().named_parameters(true);
            for (var it = params.begin(); it.notEquals(params.end()); it = it.increment()) n += it.access().value().numel();
            return n;
        });
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
        assertEquals(TINY, TorchFiles.serverCard(file).spec());
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
    void stockPyTorchLoadsTheFileAndAnIndependentForwardAgrees(@TempDir Path dir) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor() == 0, "python3 has no torch");
        int h = 24;
        int w = 40;
        float[] input = ramp(h * w, 9);
        Path file = dir.resolve("m.pt");
        float[] javaOut;
        try (UNetModule m = UNetModule.create(TINY, 5)) {
            // non-trivial BatchNorm statistics and biases, so that eval mode matters
            Map<String, float[]> weights = new java.util.LinkedHashMap<>(m.weights());
            java.util.SplittableRandom r = new java.util.SplittableRandom(4);
            weights.replaceAll((name, v) -> {
                float[] c = v.clone();
                for (int i = 0; i < c.length; i++) {
                    if (name.endsWith("_rv")) c[i] = (float) (0.5 + r.nextDouble());
                    else if (name.endsWith("_rm") || name.endsWith("_b")) c[i] = (float) (0.2 * r.nextGaussian());
                    else if (name.endsWith("_g")) c[i] = (float) (0.8 + 0.4 * r.nextDouble());
                }
                return c;
            });
            m.setWeights(weights);
            m.save(file, card(TINY));
            m.train(false);
            javaOut = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, h, w))));
        }
        Path layers = dir.resolve("layers.json");
        Files.writeString(layers, dev.porescope.core.json.Json.write(Map.of("layers", TINY.layers(), "leakySlope", TINY.leakySlope())));
        Path in = dir.resolve("in.f32");
        Path out = dir.resolve("java.f32");
        Files.write(in, littleEndian(input));
        Files.write(out, littleEndian(javaOut));
        Path script = dir.resolve("forward_check.py");
        try (var s = getClass().getResourceAsStream("forward_check.py")) {
            Files.copy(s, script);
        }
        Process p = new ProcessBuilder(python.toString(), script.toString(), file.toString(), layers.toString(), in.toString(),
                out.toString(), String.valueOf(h), String.valueOf(w)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), line);
        Map<?, ?> result = dev.porescope.core.json.Json.read(line, Map.class);
        assertEquals("test-tiny", result.get("card_name"));
        assertEquals(Boolean.FALSE, result.get("training"), "saved in eval mode");
        assertTrue(((Number) result.get("jit_vs_java")).doubleValue() < 1e-5, line);
        assertTrue(((Number) result.get("eager_vs_java")).doubleValue() < 1e-4, line);
    }

    static byte[] littleEndian(float[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    @Test
    void oneLevelNetworkMatchesAHandComputation() {
        UNetSpec one = UNetSpec.family("test-one", 1);
        try (UNetModule m = UNetModule.create(one, 1)) {
            Map<String, float[]> weights = new java.util.LinkedHashMap<>();
            float[] k = {0, 1, 0, 1, -4, 1, 0, 1, 0}; // Laplacian
            weights.put("enc0_w", k);
            weights.put("enc0_g", new float[]{2f});
            weights.put("enc0_b", new float[]{0.5f});
            weights.put("enc0_rm", new float[]{0.25f});
            weights.put("enc0_rv", new float[]{4f});
            weights.put("head_w", new float[]{1f, -1f});
            weights.put("head_b", new float[]{0f, 0.3f});
            m.setWeights(weights);
            m.train(false);
            int w = 5;
            int h = 4;
            float[] input = ramp(w * h, 2);
            float[] out = Torch.inference("test", () -> Torch.floats(m.forward(Torch.tensor(input, 1, 1, h, w))));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double conv = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) conv += k[(dy + 1) * 3 + dx + 1] * input[yy * w + xx];
                        }
                    }
                    double bn = (conv - 0.25) / Math.sqrt(4 + 1e-5) * 2 + 0.5;
                    double a = Math.max(0, bn);
                    double z0 = a;
                    double z1 = -a + 0.3;
                    double pore = Math.exp(z1) / (Math.exp(z0) + Math.exp(z1));
                    assertEquals(pore, out[w * h + y * w + x], 1e-5, "pixel " + x + "," + y);
                }
            }
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
