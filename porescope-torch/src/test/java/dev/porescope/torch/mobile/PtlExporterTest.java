package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.torch.UNetModule;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PtlExporterTest {

    @TempDir Path dir;

    @Test
    void exportedPtlComputesWhatTheServerModelComputes() throws Exception {
        Path pt = dir.resolve("model.pt");
        Path ptl = dir.resolve("model.ptl");
        TinyUNet.save(TinyUNet.SPEC, 3, pt);
        PtlExporter.Result r = new PtlExporter().export(pt, ptl);
        System.out.println(r.describe());

        ModelFile info = ModelFileReader.read(ptl);
        assertEquals(r.bytecodeVersion(), info.bytecodeVersion());
        assertTrue(info.bytecodeVersion() <= 8, "bytecode v" + info.bytecodeVersion());
        assertEquals("ptl", info.card().runtime());
        assertEquals(2, info.card().golden().size());
        try (var names = Files.list(dir)) {
            assertEquals(List.of("model.pt", "model.ptl"), names.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // Independent answers: the unfrozen server module (BatchNorm not folded), run here through
        // libtorch directly, against the .ptl on a fresh input and against the card's golden outputs.
        try (UNetModule server = UNetModule.load(pt); PtlModel model = PtlModel.open(ptl)) {
            server.train(false);
            Random random = new Random(11);
            Plane in = new Plane(40, 24);
            for (int i = 0; i < in.values().length; i++) in.values()[i] = (float) random.nextGaussian();
            assertTrue(maxDiff(serverPore(server, in), model.predict(in).values()) <= 1e-4);
            for (ModelCard.GoldenPair g : info.card().golden()) {
                Plane golden = new Plane(g.width(), g.height(), FloatCodec.decode(g.input()));
                float[] stored = FloatCodec.decode(g.probability());
                assertTrue(maxDiff(serverPore(server, golden), stored) <= 1e-4, "golden output is the server's");
                assertTrue(maxDiff(model.predict(golden).values(), stored) <= 1e-4, "the .ptl reproduces it");
            }
            assertEquals(TinyUNet.SPEC.margin(), model.margin());
            assertEquals(4, model.sizeMultiple());
        }
    }

    /** Channel 1 of the server module's [1, 2, H, W] softmax, read straight from the tensor. */
    private static float[] serverPore(UNetModule server, Plane in) {
        return Torch.inference("test", () -> {
            float[] all = Torch.floats(server.jit().forward(new IValueVector(new IValue(
                    Torch.tensor(in.values(), 1, 1, in.height(), in.width())))).toTensor());
            int plane = in.width() * in.height();
            assertEquals(2 * plane, all.length);
            return java.util.Arrays.copyOfRange(all, plane, 2 * plane);
        });
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }
}
