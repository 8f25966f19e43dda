package dev.porescope.torch.mobile;

import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.parity.Golden;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.unet.UNetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with the phone's runtime code: PyTorch 1.13's lite interpreter (Debian's
 * python3-torch, {@code torch.jit.mobile._load_for_lite_interpreter}) loads a {@code .ptl}
 * exported here and must reproduce the server outputs stored in its card within 1e-4.
 * Skipped when {@code /usr/bin/python3} cannot import torch, unless
 * {@code -Dporescope.interop.required=true} (as in {@code interop/run-lite-check.sh}).
 * {@code -Dporescope.interop.spec=paper} checks a named spec instead of the tiny test spec.
 */
class LiteInterpreterInteropTest {

    static final String PYTHON = System.getenv().getOrDefault("PORESCOPE_PYTHON", "/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/lite_check.py");

    @TempDir Path tmp;

    @Test
    void liteInterpreterReproducesServerAndJavaOutputs() throws Exception {
        boolean required = Boolean.getBoolean("porescope.interop.required");
        String torchVersion = pythonTorchVersion();
        if (torchVersion == null) {
            if (required) fail(PYTHON + " cannot import torch; install it: apt-get install -y python3-torch");
            assumeTrue(false, PYTHON + " with torch not found: lite-interpreter interop skipped");
        }
        Path dir = System.getProperty("porescope.interop.dir") != null
                ? Files.createDirectories(Path.of(System.getProperty("porescope.interop.dir"))) : tmp;
        Path pt = dir.resolve("interop.pt");
        Path ptl = dir.resolve("interop.ptl");
        Path outputs = dir.resolve("lite-outputs.json");
        UNetSpec spec = System.getProperty("porescope.interop.spec") != null
                ? UNetSpec.named(System.getProperty("porescope.interop.spec")) : TinyUNet.SPEC;
        TinyUNet.save(spec, 5, pt);
        PtlExporter.Result r = new PtlExporter().export(pt, ptl);

        Process p = new ProcessBuilder(PYTHON, SCRIPT.toString(), ptl.toString(), "--server", pt.toString(),
                "--tolerance", "1e-4", "--write-outputs", outputs.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lite_check.py timed out");
        System.out.print(log);
        assertEquals(0, p.exitValue(), "lite_check.py failed:\n" + log);

        JsonNode report = new ObjectMapper().readTree(outputs.toFile());
        assertEquals(r.bytecodeVersion(), report.get("bytecode_version").asLong());
        assertTrue(report.get("max_abs_diff").asDouble() <= 1e-4);

        // Python lite interpreter against the Java .ptl runtime, output by output.
        double liteVsJava = 0;
        try (PtlModel model = PtlModel.open(ptl)) {
            List<ModelCard.GoldenPair> golden = model.card().golden();
            for (int i = 0; i < golden.size(); i++) {
                ModelCard.GoldenPair g = golden.get(i);
                float[] java = model.predict(new Plane(g.width(), g.height(), FloatCodec.decode(g.input()))).values();
                float[] lite = FloatCodec.decode(report.get("outputs").get(i).asText());
                liteVsJava = Math.max(liteVsJava, Golden.maxAbsDifference(java, lite));
            }
        }
        System.out.println("interop (" + spec.name() + "): bytecode v" + r.bytecodeVersion() + ", max |Java ptl - server| " + r.maxAbsDiff()
                + ", max |lite 1.13 - server| " + report.get("max_abs_diff").asDouble()
                + ", max |lite 1.13 - Java ptl| " + liteVsJava);
        assertTrue(liteVsJava <= 1e-4, "lite vs Java " + liteVsJava);
    }

    /** torch.__version__ of {@link #PYTHON}, or null when it is missing or has no torch. */
    static String pythonTorchVersion() {
        if (!new File(PYTHON).canExecute()) return null;
        try {
            List<String> cmd = new ArrayList<>(List.of(PYTHON, "-c", "import torch, torch.jit.mobile; print(torch.__version__)"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out.lines().reduce((a, b) -> b).orElse(null);
        } catch (Exception e) {
            return null;
        }
    }
}
