package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.torch.UNetModule;
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

        PtlFile info = PtlFile.inspect(ptl);
        assertEquals(r.bytecodeVersion(), info.bytecodeVersion());
        assertTrue(info.bytecodeVersion() <= 8, "bytecode v" + info.bytecodeVersion());
        assertEquals("ptl", info.card().runtime());
        assertEquals(2, info.card().golden().size());
        try (var names = Files.list(dir)) {
            assertEquals(List.of("model.pt", "model.ptl"), names.map(p -> p.getFileName().toString()).sorted().toList());
        }

        // Independent check on fresh inputs: the server .pt (BatchNorm not folded) against the .ptl.
        try (UNetModule server = UNetModule.load(pt); PtlModel model = PtlModel.open(ptl)) {
            server.train(false);
            Random random = new Random(11);
            Plane in = new Plane(40, 24);
            for (int i = 0; i < in.values().length; i++) in.values()[i] = (float) random.nextGaussian();
            double diff = PtlModel.maxAbsDiff(PtlModel.poreProbability(server.jit(), in, 2).values(), model.predict(in).values());
            System.out.println("fresh input: max |ptl - server| " + diff + ", golden " + model.goldenMaxDiff());
            assertTrue(diff <= 1e-4, "diff " + diff);
            assertTrue(model.goldenMaxDiff() <= 1e-4);
            assertEquals(TinyUNet.SPEC.margin(), model.margin());
            assertEquals(4, model.sizeMultiple());
        }
    }
}
