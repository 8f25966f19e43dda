package dev.porescope.cli.models;

import dev.porescope.cli.support.Messages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.modelfile.ModelFileKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns what the user gives to {@code --model} (a built-in name or a model file) into a
 * {@link SegmentationModel}. The one place that knows every kind of model: later runtimes register
 * their file extension in {@link #FILE_LOADERS}.
 */
public final class ModelLoader {
    private ModelLoader() { }

    /** Built-in models by name; the argument gives labelled data for the models that fit themselves. */
    private static final Map<String, Function<Supplier<List<LabelledImage>>, SegmentationModel>> BUILT_IN = new LinkedHashMap<>();
    /** Model files by extension (lower case, without the dot). */
    private static final Map<String, Function<Path, SegmentationModel>> FILE_LOADERS = new LinkedHashMap<>();

    static {
        BUILT_IN.put("dog", data -> BuiltInModels.dog());
        BUILT_IN.put("dog-fit", BuiltInModels::dogFit);
        // one loader per kind of model file (core's ModelFileKind); the file's content must fit its name
        for (ModelFileKind kind : ModelFileKind.values()) {
            FILE_LOADERS.put(kind.extension(), switch (kind) {
                case TORCHSCRIPT -> ModelLoader::torchModel;
                case PTL -> ModelLoader::ptlModel;
                case ONNX, ORT -> file -> onnxModel(file, dev.porescope.ort.OnnxModel.DEFAULT_THREADS);
            });
        }
    }

    /** Fails with a clear message when {@code model} is neither a built-in name nor a usable model file; loads nothing. */
    public static void check(String model) {
        if (BUILT_IN.containsKey(model)) return;
        Path file = Path.of(model);
        String ext = extension(file);
        boolean looksLikeFile = !ext.isEmpty() || model.contains("/") || model.contains(java.io.File.separator);
        if (!looksLikeFile) {
            throw new UserException("unknown model '" + model + "'; " + accepted());
        }
        if (!Files.exists(file)) {
            throw new UserException("model file " + file + " does not exist; " + accepted());
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException("model " + file + " is not a file; " + accepted());
        }
        if (!FILE_LOADERS.containsKey(ext)) {
            throw new UserException("model file " + file + " has an unknown type '." + ext + "'; " + accepted());
        }
        try {
            if (Files.size(file) == 0) {
                throw new UserException("model file " + file + " is empty; train or export it again");
            }
        } catch (IOException e) {
            throw new UserException("cannot read model file " + file + " (" + e.getMessage() + "); check its permissions", e);
        }
    }

    /**
     * The model named by {@code model}. {@code fitData} is asked only by models that fit themselves
     * ({@code dog-fit}).
     */
    public static SegmentationModel load(String model, Supplier<List<LabelledImage>> fitData) {
        check(model);
        Function<Supplier<List<LabelledImage>>, SegmentationModel> builtIn = BUILT_IN.get(model);
        if (builtIn != null) {
            return builtIn.apply(fitData);
        }
        Path file = Path.of(model);
        return FILE_LOADERS.get(extension(file)).apply(file);
    }

    /**
     * As {@link #load(String, Supplier)}, with ONNX Runtime on {@code runtimeThreads} intra-op threads
     * (other runtimes as they are: libtorch's threads are process-wide, {@code Torch.init}).
     */
    public static SegmentationModel load(String model, Supplier<List<LabelledImage>> fitData, int runtimeThreads) {
        check(model);
        String ext = extension(Path.of(model));
        if (!BUILT_IN.containsKey(model) && (ext.equals("onnx") || ext.equals("ort"))) {
            return onnxModel(Path.of(model), runtimeThreads);
        }
        return load(model, fitData);
    }

    /** Whether model files ending in {@code .extension} (lower case, no dot) can be loaded in this build. */
    public static boolean loadsExtension(String extension) {
        return FILE_LOADERS.containsKey(extension.toLowerCase(Locale.ROOT));
    }

    /** Whether the model needs labelled data to be built (so a command can ask for --data). */
    public static boolean fitsOnData(String model) {
        return model.equals("dog-fit");
    }

    /** The sentence listing what {@code --model} accepts. */
    public static String accepted() {
        StringBuilder s = new StringBuilder("give ");
        s.append(String.join(", ", BUILT_IN.keySet()));
        if (FILE_LOADERS.isEmpty()) {
            s.append(" (model files come with 'porescope train')");
        } else {
            s.append(", or a model file (");
            s.append(String.join(", ", FILE_LOADERS.keySet().stream().map(e -> "." + e).toList()));
            s.append(")");
        }
        return s.toString();
    }

    /** A TorchScript {@code .pt}; a file that is not a PoreScope model is refused before libtorch reads it. */
    private static SegmentationModel torchModel(Path file) {
        try {
            return dev.porescope.torch.TorchModel.load(file);
        } catch (dev.porescope.core.modelfile.ModelFileException e) {
            throw new UserException(e.getMessage(), e);
        } catch (dev.porescope.torch.nativ.TorchException e) {
            throw new UserException("libtorch cannot load " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException(withWhatToDo(e.getMessage(), "train or export it again"), e);
        }
    }

    /**
     * A PyTorch Mobile lite {@code .ptl}: zip, checksums, bytecode version and card are checked in
     * pure Java (core's {@code ModelFileReader}, then the code against the spec's) before libtorch opens it.
     */
    private static SegmentationModel ptlModel(Path file) {
        try {
            return dev.porescope.torch.mobile.PtlModel.open(file);
        } catch (dev.porescope.torch.nativ.TorchException e) {
            throw new UserException("libtorch cannot load " + file + ": " + e.getMessage() + "; export it again", e);
        } catch (IllegalArgumentException e) {
            throw new UserException(withWhatToDo(e.getMessage(), "export it again with 'porescope export --format ptl'"), e);
        }
    }

    /**
     * An ONNX {@code .onnx} or ONNX Runtime {@code .ort}: the protobuf or flatbuffer and its card are
     * walked in pure Java (core's {@code ModelFileReader}, the graph against the spec) before ONNX Runtime sees the bytes.
     */
    public static SegmentationModel onnxModel(Path file, int threads) {
        try {
            return dev.porescope.ort.OnnxModel.load(file, threads, dev.porescope.onnx.GraphCheck::check);
        } catch (IllegalArgumentException e) {
            throw new UserException(withWhatToDo(e.getMessage(), "export it again with 'porescope export --format "
                    + extension(file) + "'"), e);
        }
    }

    /** {@code message}, with {@code advice} appended when it does not already say what to do. */
    public static String withWhatToDo(String message, String advice) {
        String m = Messages.oneLine(message);
        return m.contains(";") ? m : m + "; " + advice;
    }

    public static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
