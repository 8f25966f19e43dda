package dev.porescope.android;

import android.content.Context;

import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.io.WriteFailedException;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.modelfile.ModelFileReader;
import dev.porescope.ort.OnnxModel;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * Entry point for apps: load a PoreScope phone model and get a {@link PoreModel}.
 *
 * <pre>{@code
 * try (PoreModel model = PoreScope.loadAsset(context, "porescope-default.ptl")) {
 *     SelfTestResult check = model.selfTest();
 *     PoreReport report = model.analyze(photo);
 *     Bitmap overlay = model.overlay(photo, report);
 * }
 * }</pre>
 *
 * The runtime is chosen by the file's extension: {@code .ptl} runs on PyTorch Mobile lite
 * ({@code org.pytorch:pytorch_android_lite}), {@code .onnx} and {@code .ort} on ONNX Runtime
 * ({@code com.microsoft.onnxruntime:onnxruntime-android}); the app declares the one(s) it uses.
 * The file and its card are read and checked in pure Java (core's {@link ModelFileReader}, the
 * reader the command line uses) before the file reaches native code.
 */
public final class PoreScope {
    private PoreScope() { }

    /** Loads a model file; see the class comment for the file types. */
    public static PoreModel load(File file) {
        if (file == null) {
            throw new IllegalArgumentException("model file is null");
        }
        return new PoreModel(open(file), file.getPath());
    }

    /** The runtime for {@code file}'s type, after the pure-Java checks of the file and its card. */
    private static SegmentationModel open(File file) {
        phoneKind(file.getName());
        ModelFile model = ModelFileReader.read(file.toPath());
        return model.kind() == ModelFileKind.PTL ? LiteRuntime.load(model) : OnnxModel.open(model, 0);
    }

    /** The kind a file name announces, if a phone runs it (a server .pt or another file is refused with what to do). */
    private static ModelFileKind phoneKind(String name) {
        ModelFileKind kind = ModelFileKind.ofName(name);
        if (kind == ModelFileKind.TORCHSCRIPT) {
            throw new IllegalArgumentException(name + " is a server (TorchScript) model, which phones cannot run;"
                    + " export it first: porescope export --model " + name + " --format ptl|onnx|ort");
        }
        if (kind == null) {
            throw new IllegalArgumentException(name + " is not a PoreScope phone model: expected a file ending in"
                    + " .ptl (PyTorch Mobile lite), .onnx or .ort (ONNX Runtime)");
        }
        return kind;
    }

    /**
     * Loads a model shipped in the app's {@code assets/}. The native loaders read files, so the asset
     * is first copied to {@code cacheDir/porescope/} (written to a temporary name, then renamed).
     */
    public static PoreModel loadAsset(Context context, String assetName) {
        if (context == null || assetName == null || assetName.isEmpty()) {
            throw new IllegalArgumentException("loadAsset needs a Context and an asset name");
        }
        phoneKind(new File(assetName).getName());  // refuse a wrong file type before copying
        File dir = new File(context.getCacheDir(), "porescope");
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        File target = new File(dir, new File(assetName).getName());
        try (InputStream in = context.getAssets().open(assetName)) {
            AtomicFiles.write(target.toPath(), tmp -> Files.copy(in, tmp));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("the app has no asset named " + assetName
                    + " (put the model file in src/main/assets/)", e);
        } catch (IOException | WriteFailedException e) {
            throw new IllegalStateException("cannot copy asset " + assetName + " to " + target + ": " + e.getMessage(), e);
        }
        return new PoreModel(open(target), "asset:" + assetName);
    }

    /**
     * Wraps any {@link SegmentationModel} (core's DoG baseline, a custom runtime) so that it gets the
     * same analysis, overlay and self-test as a loaded model file.
     */
    public static PoreModel wrap(SegmentationModel model) {
        if (model == null || model.card() == null) {
            throw new IllegalArgumentException("the model and its card must not be null");
        }
        return new PoreModel(model, model.card().name());
    }
}
