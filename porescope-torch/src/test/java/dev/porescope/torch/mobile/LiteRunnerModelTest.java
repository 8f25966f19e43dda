package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lite-interpreter runner ({@code interop/target/porescope-lite-runner}, Debian libtorch 1.13's
 * {@code _load_for_mobile} in a child process) against the server model: the golden outputs in the
 * card were computed by libtorch 2.10 on the server {@code .pt}, a different interpreter in a different
 * library. Skipped with a reason when the runner is not built, unless
 * {@code -Dporescope.interop.required=true} (CI), where its absence fails.
 */
class LiteRunnerModelTest {

    static Path runner;
    @TempDir static Path tmp;
    static Path pt;
    static Path ptl;

    @BeforeAll
    static void findRunner() {
        String named = System.getProperty(LiteRunnerModel.PROPERTY, "../interop/target/porescope-lite-runner");
        Path p = Path.of(named).toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            String why = p + " is not built; run interop/build-lite-runner.sh (needs Debian libtorch-dev and g++)";
            if (Boolean.getBoolean("porescope.interop.required")) fail(why);
            assumeTrue(false, "lite-interpreter runner tests skipped: " + why);
        }
        runner = p;
        pt = tmp.resolve("runner.pt");
        ptl = tmp.resolve("runner.ptl");
        TinyUNet.save(TinyUNet.SPEC, 11, pt);
        new PtlExporter().export(pt, ptl);
    }

    @Test
    void liteInterpreterReproducesTheServerGoldenOutputs() {
        try (LiteRunnerModel lite = LiteRunnerModel.open(runner, ptl, 1)) {
            assertTrue(lite.runtime().startsWith("pytorch-lite-interpreter 1.13"), lite.runtime());
            assertTrue(lite.card().golden().size() >= 1, "the exporter stores golden pairs");
            for (ModelCard.GoldenPair g : lite.card().golden()) {
                float[] out = lite.predict(new Plane(g.width(), g.height(), dev.porescope.core.json.FloatCodec.decode(g.input()))).values();
                double diff = dev.porescope.core.parity.Golden.maxAbsDifference(out, dev.porescope.core.json.FloatCodec.decode(g.probability()));
                assertTrue(diff <= 1e-4, "lite interpreter vs server " + diff);
            }
        }
    }

    @Test
    void liteInterpreterMatchesTheTorchScriptCopyOnARandomTile() {
        SplittableRandom r = new SplittableRandom(3);
        int w = 3 * TinyUNet.SPEC.sizeMultiple() * 4;
        int h = 2 * TinyUNet.SPEC.sizeMultiple() * 4;
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian());
        Plane tile = new Plane(w, h, v);
        try (LiteRunnerModel lite = LiteRunnerModel.open(runner, ptl, 1);
             PtlModel copy = PtlModel.open(ptl)) {
            Plane a = lite.predict(tile);
            Plane b = copy.predict(tile);
            assertEquals(w, a.width());
            assertEquals(h, a.height());
            assertTrue(dev.porescope.core.parity.Golden.maxAbsDifference(a.values(), b.values()) <= 1e-4);
            for (float p : a.values()) assertTrue(p >= 0 && p <= 1, "a probability: " + p);
        }
    }

    @Test
    void badTilesAndClosedModelsAreRefusedAndTheRunnerKeepsWorking() {
        LiteRunnerModel lite = LiteRunnerModel.open(runner, ptl, 1);
        int m = lite.sizeMultiple();
        assertThrows(IllegalArgumentException.class, () -> lite.predict(new Plane(m + 1, m)));
        assertEquals(m * m, lite.predict(new Plane(m, m)).values().length);
        lite.close();
        assertThrows(IllegalStateException.class, () -> lite.predict(new Plane(m, m)));
    }

    @Test
    void aFileTheLiteInterpreterCannotLoadIsOneClearError() throws IOException {
        Path notPtl = tmp.resolve("junk.ptl");
        Files.write(notPtl, new byte[]{1, 2, 3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LiteRunnerModel.open(runner, notPtl, 1));
        assertTrue(e.getMessage().contains(notPtl.toString()), e.getMessage());
    }
}
