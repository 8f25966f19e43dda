package dev.porescope.onnx;

import dev.porescope.core.unet.UNetSpec;
import dev.porescope.core.unet.UNetSpec.Kind;
import dev.porescope.core.unet.UNetSpec.Layer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which convolutions of an int8 model stay float ({@code --int8-keep-float}), and what that
 * leaves quantized. A layer kept in float has float32 weights and reads its input unquantized; a
 * tensor that only float layers read is never quantized, so a float first layer reads the photo as
 * is and a float last decoder layer + head compute the logits from unrounded features.
 */
public final class KeepFloat {

    /**
     * Layers an int8 export keeps in float unless told otherwise: every convolution that writes at
     * the photo's full resolution ({@code full}: the first conv, which alone reads the unquantized
     * photo, the last up-convolution, the last decoder conv and the head). Their rounding errors
     * land on single pixels right before the threshold; errors at lower resolutions are averaged
     * by the convolutions after them. Measured on the paper spec (int8 against its fp32 graph,
     * pore-mask Dice over 16 photos): {@code first,last} 0.9862, {@code full} 0.9963; keeping any
     * one other layer in float moved it by at most 0.001 (README, "int8 parity").
     */
    public static final String DEFAULT = "full";

    private KeepFloat() { }

    /** Names of the CONV and UP_CONV layers of {@code spec}, in topology order. */
    public static Set<String> convLayers(UNetSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        for (Layer l : spec.layers()) {
            if (l.kind() == Kind.CONV || l.kind() == Kind.UP_CONV) out.add(l.name());
        }
        return out;
    }

    /**
     * Resolves a keep-float list: {@code first} = the first convolution (it reads the photo at full
     * resolution with one input channel, so float costs little), {@code last} = the last decoder
     * convolution and the head (the layers right before the threshold), {@code full} = every
     * convolution whose output is at full resolution ({@link #DEFAULT}), {@code none}, or layer
     * names; comma-separated, any mix. Returned in topology order.
     */
    public static Set<String> resolve(UNetSpec spec, String list) {
        List<String> convs = new ArrayList<>(convLayers(spec));
        Set<String> out = new LinkedHashSet<>();
        for (String item : (list == null ? "" : list).split(",")) {
            String name = item.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("none")) continue;
            if (name.equalsIgnoreCase("first")) {
                out.add(convs.get(0));
            } else if (name.equalsIgnoreCase("last")) {
                out.addAll(convs.subList(Math.max(0, convs.size() - 2), convs.size()));
            } else if (name.equalsIgnoreCase("full")) {
                out.addAll(fullResolution(spec));
            } else if (convs.contains(name)) {
                out.add(name);
            } else {
                throw new IllegalArgumentException("unknown layer '" + name + "' to keep in float; use first, last, full, none or"
                        + " layer names of spec '" + spec.name() + "': " + String.join(", ", convs));
            }
        }
        Set<String> ordered = new LinkedHashSet<>();   // topology order, whatever order they were named in
        for (String c : convs) if (out.contains(c)) ordered.add(c);
        return ordered;
    }

    /** The CONV and UP_CONV layers of {@code spec} whose output is at the input's resolution, in topology order. */
    public static Set<String> fullResolution(UNetSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        for (Layer l : spec.layers()) {
            if ((l.kind() == Kind.CONV || l.kind() == Kind.UP_CONV) && l.scale() == 1) out.add(l.name());
        }
        return out;
    }

    /** Refuses a set naming anything but convolutions of {@code spec}. */
    static void check(UNetSpec spec, Set<String> keepFloat) {
        Set<String> convs = convLayers(spec);
        for (String name : keepFloat) {
            if (!convs.contains(name)) {
                throw new IllegalArgumentException("cannot keep layer '" + name + "' in float: spec '" + spec.name()
                        + "' has no convolution of that name; use first, last, full or one of " + String.join(", ", convs));
            }
        }
    }

    /**
     * Outputs of int8 convolutions (but the head's logits, which go to the softmax in float). A
     * float layer reads them through their quantize-dequantize pair too: ONNX Runtime runs a
     * convolution in int8 (QLinearConv) only when its output is quantized, so without the pair an
     * int8 layer before a float one would compute in float with int8-stored weights. Measured on
     * the paper spec with {@code full}: dec1 before the float up0 (README, "int8 parity").
     */
    static Set<String> int8Outputs(UNetSpec spec, Set<String> keepFloat) {
        Set<String> out = new HashSet<>();
        for (Layer l : spec.layers()) {
            if (l.kind() == Kind.CONV && !isHead(l) && !keepFloat.contains(l.name())) out.add(l.output());
        }
        return out;
    }

    /** The head: the convolution that writes the logits, which go to the softmax in float (no range of their own). */
    static boolean isHead(Layer l) {
        return l.kind() == Kind.CONV && l.name().equals("head");
    }

    /**
     * Tensors that some int8 layer reads quantized: inputs of int8 convolutions, and inputs of
     * max-pool / concat layers whose output is read quantized (they run in uint8 then).
     */
    static Set<String> quantizedReads(UNetSpec spec, Set<String> keepFloat) {
        List<Layer> layers = new ArrayList<>(spec.layers());
        Collections.reverse(layers);
        Set<String> out = new HashSet<>();
        for (Layer l : layers) {
            switch (l.kind()) {
                case CONV, UP_CONV -> { if (!keepFloat.contains(l.name())) out.add(l.input()); }
                case MAX_POOL, CONCAT -> { if (out.contains(l.output())) { out.add(l.output()); out.addAll(l.inputs()); } }
                default -> { }
            }
        }
        return out;
    }
}
