package dev.porescope.cli.commands;

import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.ImageOptions;
import dev.porescope.cli.models.DefaultModel;
import dev.porescope.cli.models.ModelLoader;
import dev.porescope.cli.serve.AnalysisService;
import dev.porescope.cli.serve.PoreServer;
import dev.porescope.cli.serve.ReviewSaver;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code porescope serve}: the web page and JSON API, on this machine only unless {@code --host}. */
@Command(name = "serve", sortOptions = false,
        description = {"Serve a web page and a JSON API that find the pores of uploaded photos (the same analysis as"
                + " 'analyze'), show them with zoom and pan, and let you correct them: click a pore to remove it, paint to"
                + " add one, then save the photo and its corrected mask into --data DIR, a data folder 'train' reads.",
                "API: POST /api/analyze, GET /api/results/ID/{mask.png,overlay.png,pores.csv,...}, GET /api/models,"
                        + " GET /api/health; described at /api/openapi.json. Ctrl+C stops the server."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 = every network).")
    String host;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data folder that 'save' in review mode grows (images/, masks/, roi/); without it, saving is off.")
    Path data;

    @Option(names = "--model", paramLabel = "MODEL",
            description = "dog or a model file (.pt, .ptl, .onnx, .ort). Default: the network model embedded in porescope.")
    String model;

    @Option(names = "--max-upload-mb", defaultValue = "100", paramLabel = "MB",
            description = "Largest upload accepted (default: ${DEFAULT-VALUE}); larger ones get 413.")
    int maxUploadMb;

    @Option(names = "--parallel", defaultValue = "2", paramLabel = "N",
            description = "Photos analysed at the same time (default: ${DEFAULT-VALUE}); others wait, while memory lasts (then 503).")
    int parallel;

    @Option(names = "--threads", paramLabel = "N", description = "Model threads per photo (default: CPU cores / --parallel).")
    Integer threads;

    @Option(names = "--timeout-s", defaultValue = "300", paramLabel = "S",
            description = "Longest an analysis request waits for its result (default: ${DEFAULT-VALUE}); then 503.")
    int timeoutSeconds;

    @Option(names = "--memory-mb", paramLabel = "MB",
            description = "Heap the analyses may use together (default: 3/4 of the Java heap). Photos need about 48 bytes a pixel.")
    Integer memoryMb;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkUsage();
        if (data != null && Files.exists(data) && !Files.isDirectory(data)) {
            throw new UserException("--data " + data + " is not a folder; give a folder to save reviewed photos into");
        }
        ImageFiles files = images.files();
        String modelName = model != null ? model : DefaultModel.embedded().resolve(err);
        if (ModelLoader.fitsOnData(modelName)) {
            throw new UserException("model " + modelName + " fits itself on labelled data, which serve does not have;"
                    + " use --model dog, or a trained model file");
        }
        ModelLoader.check(modelName);
        SegmentationModel loaded = ModelLoader.load(modelName, null);
        PoreServer server = new PoreServer(new AnalysisService(loaded, modelName, files, limits()), new ReviewSaver(data));
        int bound;
        try {
            bound = server.start(host, port);
        } catch (RuntimeException e) {
            server.close();
            throw new UserException("cannot listen on " + host + ":" + port + " (" + rootMessage(e)
                    + "); choose another --port, or stop the program that uses it", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "porescope-serve-stop"));
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
        out.println("http://" + shown + ":" + bound + "/");
        out.flush();
        err.println("porescope: serving model " + modelName + " on http://" + shown + ":" + bound + "/ (open it in a browser;"
                + " API description at /api/openapi.json)" + (data == null ? "; saving is off (no --data)"
                : "; reviewed photos go to " + data.toAbsolutePath()) + ". Ctrl+C stops it.");
        err.flush();
        stopped.await();
        return 0;
    }

    AnalysisService.Limits limits() {
        int cores = Runtime.getRuntime().availableProcessors();
        long heap = Runtime.getRuntime().maxMemory();
        long budget = memoryMb != null ? memoryMb * 1024L * 1024L : heap / 4 * 3;
        return new AnalysisService.Limits(maxUploadMb * 1024L * 1024L, budget, parallel,
                threads != null ? threads : Math.max(1, cores / parallel), timeoutSeconds, 32);
    }

    private void checkUsage() {
        if (port < 0 || port > 65535) throw new ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
        if (maxUploadMb < 1) throw new ParameterException(spec.commandLine(), "--max-upload-mb must be at least 1, got " + maxUploadMb);
        if (parallel < 1) throw new ParameterException(spec.commandLine(), "--parallel must be at least 1, got " + parallel);
        if (threads != null && threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        if (timeoutSeconds < 1) throw new ParameterException(spec.commandLine(), "--timeout-s must be at least 1, got " + timeoutSeconds);
        if (memoryMb != null && memoryMb < 16) throw new ParameterException(spec.commandLine(), "--memory-mb must be at least 16, got " + memoryMb);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return String.valueOf(t.getMessage());
    }
}
