package dev.porescope.torch;

import dev.porescope.core.image.Plane;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.modelfile.ModelFileException;
import dev.porescope.core.unet.UNetSpec;
import dev.porescope.torch.nativ.Torch;
import dev.porescope.torch.nativ.TorchException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.BoolType;
import org.bytedeco.pytorch.ExtraFilesMap;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NamedTensor;
import org.bytedeco.pytorch.QualifiedName;
import org.bytedeco.pytorch.SingletonTypePtr;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.named_buffer_iterator;
import org.bytedeco.pytorch.named_buffer_list;
import org.bytedeco.pytorch.named_parameter_iterator;
import org.bytedeco.pytorch.named_parameter_list;
import org.bytedeco.pytorch.global.torch;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The U-Net of a {@link UNetSpec} as a TorchScript module: source from
 * {@link TorchScriptGenerator}, parameters and BatchNorm buffers named as in
 * {@link UNetSpec#parameters()}. The module trained is the {@code .pt} saved: stock PyTorch
 * loads it with {@code torch.jit.load}, and it carries its model card as the extra file
 * {@code porescope.json}.
 */
public final class UNetModule implements AutoCloseable {
    private final UNetSpec spec;
    private final JitModule module;
    private final ModelCard card;

    private UNetModule(UNetSpec spec, JitModule module, ModelCard card) {
        this.spec = spec;
        this.module = module;
        this.card = card;
    }

    /** A freshly initialised network (He-normal weights from {@code seed}, BatchNorm at identity), in training mode. */
    public static UNetModule create(UNetSpec spec, long seed) {
        Torch.init();
        JitModule m = new JitModule(new QualifiedName("PoreScopeUNet"));
        SplittableRandom random = new SplittableRandom(seed);
        Torch.run("building the " + spec.name() + " network", () -> {
            // a bare JitModule lacks 'training': without it self.training does not compile and eval() does nothing
            m.register_attribute("training", new Type.TypePtr(new SingletonTypePtr(BoolType.get().get())),
                    new IValue(true), false, false);
            for (UNetSpec.Param p : spec.parameters()) {
                Tensor t = Torch.tensor(initialValues(p, random), p.shape());
                if (p.isBuffer()) {
                    m.register_buffer(p.name(), t);
                } else {
                    t.set_requires_grad(true);
                    m.register_parameter(p.name(), t, false); // the third argument means "is buffer"
                }
            }
            m.define(TorchScriptGenerator.source(spec));
            m.train(true);
        });
        return new UNetModule(spec, m, null);
    }

    private static float[] initialValues(UNetSpec.Param p, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(p.numel())];
        switch (p.role()) {
            case CONV_WEIGHT, UP_WEIGHT -> {
                double std = Math.sqrt(2.0 / p.fanIn());
                for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(random) * std);
            }
            case BN_WEIGHT, BN_VAR -> java.util.Arrays.fill(v, 1f);
            default -> { } // biases, BN shift and running mean start at zero
        }
        return v;
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller, so that initial weights are the same on every JVM
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Loads a PoreScope {@code .pt}: the card is read and checked in pure Java first, then
     * libtorch loads the module, then its tensors are checked against the card's spec.
     */
    public static UNetModule load(Path file) {
        ModelCard card = TorchFiles.serverCard(file);
        Torch.init();
        JitModule m;
        try {
            m = torch.load(file.toString());
        } catch (RuntimeException e) {
            throw Torch.error("loading " + file, e);
        }
        UNetModule loaded = new UNetModule(card.spec(), m, card);
        try {
            if (!m.hasattr("training")) {
                throw new ModelFileException(file + ": module has no 'training' attribute; not made by PoreScope");
            }
            TorchFiles.checkTensors(file, card.spec(), loaded.shapes());
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        return loaded;
    }

    public UNetSpec spec() { return spec; }

    /** The card the module was loaded with; null for a module made by {@link #create}. */
    public ModelCard card() { return card; }

    /** The TorchScript module (for the trainer, the runtimes and exporters in this module). */
    public JitModule jit() { return module; }

    public void train(boolean on) {
        module.train(on);
    }

    public boolean isTraining() { return module.is_training(); }

    /**
     * How an eval-mode module is frozen for serving. Each computes the same probabilities within
     * rounding (measured by {@code porescope bench train}; tested within 1e-5).
     */
    public enum Serving {
        /** {@code torch.jit.freeze}: BatchNorm folded into the convolutions, NCHW tensors. */
        FROZEN("frozen (the server's path)"),
        /** Frozen, then libtorch's {@code optimize_for_inference}: oneDNN blocked layouts for the 3x3 convolutions. */
        OPTIMIZED("optimize_for_inference"),
        /**
         * Up-convolution weights channels-last before freezing and optimising: libtorch then runs
         * the 2x2 transposed convolutions with oneDNN instead of its own NCHW kernel.
         */
        OPTIMIZED_UPCONV_CHANNELS_LAST("optimize_for_inference + up-conv weights channels-last"),
        /** Every 4-d weight and the input channels-last (NHWC), frozen, not optimised. */
        CHANNELS_LAST("frozen, channels-last weights and input");

        private final String label;

        Serving(String label) { this.label = label; }

        public String label() { return label; }

        /** The input as this serving graph wants it (NCHW unless {@link #CHANNELS_LAST}). */
        public Tensor input(Tensor x) {
            return this == CHANNELS_LAST ? x.contiguous(torch.MemoryFormat.ChannelsLast) : x;
        }
    }

    /**
     * A frozen copy of this module for serving ({@code train(false)} first); this module and
     * its weights are untouched. The caller closes the copy.
     */
    public JitModule frozen(Serving serving) {
        if (module.is_training()) throw new IllegalStateException("freeze an eval-mode module: call train(false) first");
        String doing = "freezing the " + spec.name() + " network (" + serving.label() + ")";
        try {
            JitModule copy = serving == Serving.FROZEN || serving == Serving.OPTIMIZED ? module : module.deepcopy();
            try {
                Torch.run(doing, () -> {
                    for (UNetSpec.Param p : spec.parameters()) {
                        boolean channelsLast = switch (serving) {
                            case CHANNELS_LAST -> p.shape().length == 4;
                            case OPTIMIZED_UPCONV_CHANNELS_LAST -> p.role() == UNetSpec.ParamRole.UP_WEIGHT;
                            default -> false;
                        };
                        if (channelsLast) {
                            Tensor t = copy.attr(p.name()).toTensor().detach().contiguous(torch.MemoryFormat.ChannelsLast);
                            copy.register_parameter(p.name(), t, false);
                        }
                    }
                });
                JitModule frozen = torch.freeze(copy);
                if (serving == Serving.OPTIMIZED || serving == Serving.OPTIMIZED_UPCONV_CHANNELS_LAST) {
                    JitModule optimized = torch.optimize_for_inference(frozen);
                    frozen.close();
                    frozen = optimized;
                }
                return frozen;
            } finally {
                if (copy != module) copy.close();
            }
        } catch (TorchException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Torch.error(doing, e);
        }
    }

    /** Raw class scores [N, classes, H, W]; call inside a {@link Torch} scope. */
    public Tensor logits(Tensor x) {
        return module.get_method("logits").apply(new IValueVector(new IValue(x))).toTensor();
    }

    /** Class probabilities [N, classes, H, W]; call inside a {@link Torch} scope. */
    public Tensor forward(Tensor x) {
        return module.forward(new IValueVector(new IValue(x))).toTensor();
    }

    /**
     * The trainable parameters in spec order (the order optimizer state is saved in). Long-lived:
     * call outside any scope and keep the vector as long as the optimizer.
     */
    public TensorVector trainableParameters() {
        TensorVector v = new TensorVector();
        for (UNetSpec.Param p : spec.parameters()) {
            if (!p.isBuffer()) {
                v.push_back(module.attr(p.name()).toTensor());
            }
        }
        return v;
    }

    /** Every parameter and buffer as floats, by {@link UNetSpec#parameters()} name, in spec order. */
    public Map<String, float[]> weights() {
        return Torch.inference("reading weights", () -> {
            Map<String, float[]> out = new LinkedHashMap<>();
            for (UNetSpec.Param p : spec.parameters()) {
                out.put(p.name(), Torch.floats(module.attr(p.name()).toTensor().detach()));
            }
            return out;
        });
    }

    /** Overwrites parameters and buffers with {@code weights} (names as in {@link #weights()}). */
    public void setWeights(Map<String, float[]> weights) {
        Torch.inference("setting weights", () -> {
            for (UNetSpec.Param p : spec.parameters()) {
                float[] v = weights.get(p.name());
                if (v == null) throw new IllegalArgumentException("no weights for " + p.name());
                module.attr(p.name()).toTensor().copy_(Torch.tensor(v, p.shape()));
            }
            return null;
        });
    }

    /**
     * This module as a {@link SegmentationModel} (pore probability of each pixel), for validation
     * during training; the module must be in eval mode while it is used. Not a copy: it sees
     * the weights as they are trained. Closing the view does not close the module (its owner does).
     *
     * @param card a card of this module's spec
     */
    public SegmentationModel asSegmentationModel(ModelCard card) {
        if (card == null || !spec.equals(card.spec())) {
            throw new IllegalArgumentException("the card's spec " + (card == null || card.spec() == null ? null : card.spec().name())
                    + " is not this module's spec " + spec.name());
        }
        return new RuntimeModel(card, "the training module (spec " + spec.name() + ")") {
            @Override
            protected Plane run(Plane tile) {
                return Torch.inference("predicting a " + tile.width() + "x" + tile.height() + " tile", () ->
                        Torch.plane(forward(Torch.tensor(tile.values(), 1, 1, tile.height(), tile.width())), 0, 1));
            }

            @Override
            protected void release() {
                // a view: the module's native memory is its owner's to free
            }
        };
    }

    /** Names and shapes of the module's parameters and buffers. */
    Map<String, long[]> shapes() {
        return Torch.step("listing tensors", () -> {
            Map<String, long[]> out = new LinkedHashMap<>();
            named_parameter_list params = module.named_parameters(true);
            for (named_parameter_iterator it = params.begin(); it.notEquals(params.end()); it = it.increment()) {
                NamedTensor nt = it.access();
                out.put(nt.name().getString(), Torch.shape(nt.value()));
            }
            named_buffer_list buffers = module.named_buffers(true);
            for (named_buffer_iterator it = buffers.begin(); it.notEquals(buffers.end()); it = it.increment()) {
                NamedTensor nt = it.access();
                out.put(nt.name().getString(), Torch.shape(nt.value()));
            }
            return out;
        });
    }

    /**
     * Saves the module in eval mode with {@code card} inside, atomically (temporary name, then
     * rename). The module's training mode is restored afterwards.
     */
    public void save(Path file, ModelCard card) {
        String json = Cards.asciiJson(Cards.write(card));
        boolean wasTraining = module.is_training();
        try {
            module.eval();
            // libtorch aborts the process when the disk fills while it saves: room is checked first
            AtomicFiles.write(file, savedBytes(), tmp -> Torch.run("saving " + file, () -> {
                ExtraFilesMap extra = new ExtraFilesMap();
                extra.put(new BytePointer(ModelCard.FILE_NAME), json);
                module.save(tmp.toString(), extra);
            }));
        } finally {
            module.train(wasTraining);
        }
    }

    /** About the size of the saved file: 4 bytes a parameter (the code, card and zip come on top). */
    public long savedBytes() {
        return 4 * spec.parameterCount();
    }

    /** Parameter names of the spec in the order the optimizer sees them. */
    public List<String> trainableNames() {
        return spec.parameters().stream().filter(p -> !p.isBuffer()).map(UNetSpec.Param::name).toList();
    }

    @Override
    public void close() {
        module.close();
    }
}
