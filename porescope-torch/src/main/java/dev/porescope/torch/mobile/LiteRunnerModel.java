package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.modelfile.ModelFile;
import dev.porescope.core.modelfile.ModelFileKind;
import dev.porescope.core.parity.Golden;
import dev.porescope.torch.TorchFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code .ptl} run by PyTorch's lite interpreter, the runtime code of the Android app's
 * {@code pytorch_android_lite}, instead of through the file's TorchScript copy ({@link PtlModel}).
 *
 * <p>The lite interpreter is Debian libtorch 1.13's {@code torch::jit::_load_for_mobile}, which the
 * JavaCPP presets do not bind. It runs in a child process, {@code porescope-lite-runner}
 * ({@code interop/lite-runner/lite_runner.cpp}, built by {@code interop/build-lite-runner.sh}), so
 * that libtorch 1.13 never shares a process with the JVM's libtorch 2.10. Tiles go to its stdin and
 * pore probabilities come back on its stdout (protocol in the C++ source). One tile at a time.
 */
public final class LiteRunnerModel extends RuntimeModel {

    /** System property naming the runner executable (bin/porescope and the tests set it). */
    public static final String PROPERTY = "porescope.lite.runner";
    /** Environment variable naming the runner executable, when the property is not set. */
    public static final String ENV = "PORESCOPE_LITE_RUNNER";

    private final ModelFile file;
    private final Path path;
    private final Process process;
    private final DataInputStream in;
    private final OutputStream out;
    private final Path errors;
    private final String runtime;
    /** The pipe carries one tile at a time. */
    private final Object pipe = new Object();

    private LiteRunnerModel(ModelFile file, Path path, Process process, Path errors) {
        super(file.card(), path.toString());
        this.file = file;
        this.path = path;
        this.process = process;
        this.errors = errors;
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        try {
            this.runtime = hello();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * The runner executable named by {@value #PROPERTY} or {@value #ENV}, when it exists and can be
     * run; otherwise empty, with {@link #unavailableReason()} saying why.
     */
    public static Optional<Path> runner() {
        String named = System.getProperty(PROPERTY, System.getenv(ENV));
        if (named == null || named.isBlank()) return Optional.empty();
        Path p = Path.of(named);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    /** Why {@link #runner()} is empty, as a clause a message can quote. */
    public static String unavailableReason() {
        String named = System.getProperty(PROPERTY, System.getenv(ENV));
        if (named == null || named.isBlank()) {
            return "no lite-interpreter runner is configured (-D" + PROPERTY + " or " + ENV
                    + "; build it with interop/build-lite-runner.sh, which needs Debian's libtorch-dev)";
        }
        return "the lite-interpreter runner " + named + " is not built (build it with interop/build-lite-runner.sh,"
                + " which needs Debian's libtorch-dev)";
    }

    /**
     * Opens {@code ptl} in the runner. The file is checked in pure Java first ({@link TorchFiles#check});
     * then the runner loads it and one small tile checks the output shape against the card.
     */
    public static LiteRunnerModel open(Path runner, Path ptl, int threads) {
        ModelFile info = TorchFiles.check(ptl, ModelFileKind.PTL);
        Path errors;
        Process process;
        try {
            errors = Files.createTempFile("porescope-lite-runner", ".log");
            errors.toFile().deleteOnExit();
            process = new ProcessBuilder(runner.toString(), ptl.toString(), Integer.toString(Math.max(1, threads)))
                    .redirectError(errors.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the lite-interpreter runner " + runner + ": " + e.getMessage(), e);
        }
        return Golden.verifiedOnLoad(new LiteRunnerModel(info, ptl, process, errors), ptl.toString(),
                "the lite interpreter's output does not match the model card");
    }

    /** The runtime that computes the probabilities, e.g. {@code pytorch-lite-interpreter 1.13.1}. */
    public String runtime() { return runtime; }

    private String hello() {
        try {
            int status = readInt();
            String text = readText();
            if (status != 0) throw Cards.bad(path, text + "; export it again with 'porescope export --format ptl'");
            return text;
        } catch (IOException e) {
            throw died("starting", e);
        }
    }

    @Override
    protected Plane run(Plane tile) {
        synchronized (pipe) {
            return exchange(tile);
        }
    }

    private Plane exchange(Plane tile) {
        int w = tile.width();
        int h = tile.height();
        try {
            ByteBuffer request = ByteBuffer.allocate(8 + 4 * w * h).order(ByteOrder.LITTLE_ENDIAN);
            request.putInt(h).putInt(w);
            request.asFloatBuffer().put(tile.values());
            out.write(request.array());
            out.flush();
            int status = readInt();
            if (status != 0) {
                throw new IllegalStateException("the lite interpreter failed on a " + w + "x" + h + " tile: " + readText());
            }
            int rh = readInt();
            int rw = readInt();
            if (rh != h || rw != w) {
                throw new IllegalStateException("the lite-interpreter runner answered " + rw + "x" + rh + " for a " + w + "x" + h + " tile");
            }
            byte[] bytes = new byte[4 * w * h];
            in.readFully(bytes);
            float[] p = new float[w * h];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(p);
            return new Plane(w, h, p);
        } catch (IOException e) {
            throw died("running a tile", e);
        }
    }

    private int readInt() throws IOException {
        return Integer.reverseBytes(in.readInt());
    }

    private String readText() throws IOException {
        int n = readInt();
        if (n < 0 || n > (1 << 20)) throw new IOException("bad message length " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The runner stopped answering: its exit status and the last line it wrote to stderr. */
    private IllegalStateException died(String doing, IOException e) {
        String why = e instanceof EOFException ? "it stopped" : e.getMessage();
        String last = "";
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) why = "it exited with status " + process.exitValue();
            List<String> lines = Files.readAllLines(errors, StandardCharsets.UTF_8);
            if (!lines.isEmpty()) last = " (" + lines.get(lines.size() - 1).strip() + ")";
        } catch (IOException | InterruptedException ignored) {
            if (ignored instanceof InterruptedException) Thread.currentThread().interrupt();
        }
        return new IllegalStateException("the lite-interpreter runner failed while " + doing + " " + path + ": " + why + last, e);
    }

    /** What the file says about itself (card, bytecode version). */
    public ModelFile file() { return file; }

    @Override
    protected void release() {
        stop();
    }

    private void stop() {
        try {
            out.close();   // end of input: the runner exits
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(errors);
        } catch (IOException ignored) {
            // a temp file; deleteOnExit too
        }
    }
}
