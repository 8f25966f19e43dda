package dev.porescope.torch;

import dev.porescope.core.model.ModelCard;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.StringVectorOptional;
import org.bytedeco.pytorch.global.torch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PoreScope generates the TorchScript of every network from its spec, so the code inside a
 * {@code .pt}/{@code .ptl} must be exactly the code libtorch writes for the card's spec: a file
 * with other code (an endless loop, another graph) is not ours and is refused before libtorch
 * loads it. The expected code is made once per spec and kind from a module this class builds
 * itself ({@link TorchScriptGenerator}), saved the way training and export save.
 */
public final class GeneratedCode {
    private static final Map<String, Map<String, String>> EXPECTED = new ConcurrentHashMap<>();

    private GeneratedCode() { }

    /** Refuses {@code file} unless its code is the code generated from its card's spec. */
    public static void check(ModelFile file) {
        if (file.kind() != ModelFileKind.TORCHSCRIPT && file.kind() != ModelFileKind.PTL) return;
        if (file.code().isEmpty()) return; // a lite-only .ptl: the JVM cannot run it and says so
        UNetSpec spec = file.card().spec();
        String problem = difference(normalized(file.code()), expected(spec, file.kind()));
        if (problem != null) {
            throw new ModelFileException(file.name() + ": is not a PoreScope model of spec '" + spec.name() + "': its TorchScript "
                    + problem + " is not the code PoreScope generates from that spec; use a model made by 'porescope train' or"
                    + " 'porescope export'");
        }
    }

    /** Null when {@code actual} equals {@code expected}; otherwise which code entry differs (pure Java). */
    public static String difference(Map<String, String> actual, Map<String, String> expected) {
        for (String name : expected.keySet()) {
            if (!actual.containsKey(name)) return "lacks " + name + ", so it";
        }
        for (Map.Entry<String, String> e : actual.entrySet()) {
            String want = expected.get(e.getKey());
            if (want == null) return "code file " + e.getKey();
            if (!want.equals(e.getValue())) return "code in " + e.getKey() + " (line " + firstDifferentLine(e.getValue(), want) + ")";
        }
        return null;
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1), y = b.split("\n", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) i++;
        if (Boolean.getBoolean("porescope.debug.code")) {
            System.err.println("file:     " + (i < x.length ? x[i] : "<end>") + "\ngenerated: " + (i < y.length ? y[i] : "<end>"));
        }
        return i + 1;
    }

    /**
     * Code entries with libtorch's per-process class-name mangling numbers and frozen-constant
     * numbers removed (they differ between runs and weights); the golden pairs check the weights.
     */
    public static Map<String, String> normalized(Map<String, String> code) {
        Map<String, String> out = new TreeMap<>();
        code.forEach((k, v) -> out.put(unmangle(k), unmangle(v)));
        return out;
    }

    private static String unmangle(String s) {
        // freeze shares equal constant tensors (zero biases), so constant numbers depend on the weights, not the code
        return s.replaceAll("___torch_mangle_\\d+", "___torch_mangle_N").replaceAll("CONSTANTS\\.c\\d+", "CONSTANTS.c");
    }

    private static Map<String, String> expected(UNetSpec spec, ModelFileKind kind) {
        String key = kind + "\n" + dev.porescope.core.json.Json.write(spec);
        return EXPECTED.computeIfAbsent(key, k -> normalized(generate(spec, kind)));
    }

    /** Saves a freshly built module of {@code spec} as {@code kind} to a temporary file and reads its code back. */
    private static Map<String, String> generate(UNetSpec spec, ModelFileKind kind) {
        ModelCard card = new ModelCard(ModelCard.FORMAT, spec.name(), spec, null, 0.5, 1, kind.runtime(), ModelCard.FP32,
                null, 0, 0, Map.of(), Map.of(), List.of(), Map.of());
        Path dir = null;
        try {
            dir = Files.createTempDirectory("porescope-code-");
            Path file = dir.resolve("generated." + kind.extension());
            try (UNetModule module = UNetModule.create(spec, 0)) {
                if (kind == ModelFileKind.TORCHSCRIPT) {
                    module.save(file, card);
                } else {
                    module.train(false);
                    String json = Cards.asciiJson(dev.porescope.core.json.Json.writeCard(card));
                    Torch.run("generating the .ptl code of spec " + spec.name(), () -> {
                        JitModule frozen = torch.freeze(module.jit(), new StringVectorOptional(), true);
                        ExtraFilesMap extra = new ExtraFilesMap();
                        extra.put(new BytePointer(ModelCard.FILE_NAME), json);
                        frozen._save_for_mobile(file.toString(), extra, false, false);
                    });
                }
            }
            return ModelFileReader.read(file).code();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a temporary file to check TorchScript code: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }
}
