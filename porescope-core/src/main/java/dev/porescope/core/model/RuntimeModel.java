package dev.porescope.core.model;

import dev.porescope.core.image.Plane;
import dev.porescope.core.unet.UNetSpec;

import java.util.Arrays;

/**
 * The shared part of every {@link SegmentationModel} PoreScope makes (libtorch, PyTorch Mobile,
 * its lite interpreter, ONNX Runtime, the training module's view, the DoG baseline): geometry
 * from the card's spec, the tile-size and output-size checks, the pore channel of the output,
 * and a usage-counted close like ONNX Runtime's own {@code NativeObject}: a prediction holds a
 * usage while it runs, {@link #close} refuses new predictions and waits until the running ones
 * finish before {@link #release} frees native memory, once. A runtime adds only {@link #run} and
 * {@link #release}.
 */
public abstract class RuntimeModel implements SegmentationModel {
    private final ModelCard card;
    private final String source;
    private final String name;
    private final int margin;
    private final int sizeMultiple;
    private int usages;
    private boolean closed;
    private boolean released;

    /**
     * @param card   the file's card; its spec sets margin and size multiple
     * @param source how messages name the model (its file)
     */
    protected RuntimeModel(ModelCard card, String source) {
        this(specOf(card, source), card, source);
    }

    private RuntimeModel(UNetSpec spec, ModelCard card, String source) {
        this(card, source, spec.name(), spec.margin(), spec.sizeMultiple());
    }

    /**
     * A model whose geometry is not a U-Net spec's (the DoG baseline: a blur radius, any tile size).
     *
     * @param name         how tile-size messages name the network
     * @param margin       see {@link SegmentationModel#margin()}
     * @param sizeMultiple see {@link SegmentationModel#sizeMultiple()} (>= 1)
     */
    protected RuntimeModel(ModelCard card, String source, String name, int margin, int sizeMultiple) {
        if (card == null) throw new IllegalArgumentException(source + ": a model needs a card");
        if (margin < 0 || sizeMultiple < 1) {
            throw new IllegalArgumentException(source + ": margin " + margin + " and size multiple " + sizeMultiple + " are not a geometry");
        }
        this.card = card;
        this.source = source;
        this.name = name;
        this.margin = margin;
        this.sizeMultiple = sizeMultiple;
    }

    private static UNetSpec specOf(ModelCard card, String source) {
        if (card == null || card.spec() == null) throw new IllegalArgumentException(source + ": a runtime model needs a card with a spec");
        return card.spec();
    }

    /** Pore probability of a tile whose sides are multiples of {@link #sizeMultiple()}; called with a usage held. */
    protected abstract Plane run(Plane tile);

    /** Frees native memory; called once, when closed and no prediction runs. */
    protected abstract void release();

    @Override
    public final Plane predict(Plane tile) {
        int m = sizeMultiple();
        if (tile.width() % m != 0 || tile.height() % m != 0) {
            throw new IllegalArgumentException("tile of " + tile.width() + "x" + tile.height() + " is not a multiple of " + m
                    + " on each side, which model " + name + " (" + source + ") needs");
        }
        acquire();
        try {
            Plane out = run(tile);
            if (!out.sameSize(tile.width(), tile.height())) {
                throw new IllegalStateException(source + ": the runtime returned " + out.width() + "x" + out.height()
                        + " for a " + tile.width() + "x" + tile.height() + " tile");
            }
            return out;
        } finally {
            releaseUsage();
        }
    }

    @Override
    public final int margin() { return margin; }

    @Override
    public final int sizeMultiple() { return sizeMultiple; }

    @Override
    public final ModelCard card() { return card; }

    /** How messages name this model (its file). */
    public final String source() { return source; }

    /** Refuses new predictions, waits for running ones, then releases native memory (once). */
    @Override
    public final void close() {
        synchronized (this) {
            closed = true;
            boolean interrupted = false;
            while (usages > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            if (released) return;
            released = true;
        }
        release();
    }

    private synchronized void acquire() {
        if (closed) throw new IllegalStateException(source + ": model is closed");
        usages++;
    }

    private synchronized void releaseUsage() {
        if (--usages == 0) notifyAll();
    }

    /**
     * The pore probability of a runtime's output {@code [1, C, h, w]} (or {@code [1, h, w]}): the only
     * channel when C = 1, otherwise channel 1 (the U-Net's softmax classes are background, pore).
     */
    public static Plane poreChannel(float[] data, long[] shape, int width, int height) {
        int channels;
        if (shape.length == 4 && shape[0] == 1 && shape[2] == height && shape[3] == width) {
            channels = (int) shape[1];
        } else if (shape.length == 3 && shape[0] == 1 && shape[1] == height && shape[2] == width) {
            channels = 1;
        } else {
            throw new IllegalStateException("model output has shape " + Arrays.toString(shape) + ", expected [1, C, "
                    + height + ", " + width + "] for a " + width + "x" + height + " tile: this file is not a PoreScope segmentation model");
        }
        int plane = width * height;
        if (channels < 1 || data.length != (long) channels * plane) {
            throw new IllegalStateException("model output of shape " + Arrays.toString(shape) + " holds " + data.length + " values");
        }
        int pore = channels == 1 ? 0 : 1;
        return new Plane(width, height, Arrays.copyOfRange(data, pore * plane, (pore + 1) * plane));
    }
}
