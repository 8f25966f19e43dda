package dev.porescope.torch.mobile;

import dev.porescope.core.image.Plane;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.JitModule;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs a TorchScript module on one plane. TODO(merge): move onto branch torch's
 * {@code torch.nativ} layer (the only code meant to touch PointerScope) once it lands.
 */
final class Tensors {
    private Tensors() { }

    /**
     * Pore probability for {@code tile}: the module's output [1, classes, H, W] (softmax
     * probabilities), channel 1. Runs without autograd, in its own pointer scope.
     */
    static Plane poreProbability(JitModule module, Plane tile) {
        int w = tile.width();
        int h = tile.height();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = torch.empty(1, 1, h, w);
            new FloatPointer(x.data_ptr_float()).capacity((long) w * h).put(tile.values());
            IValue out = module.forward(new IValueVector(new IValue(x)));
            if (!out.isTensor()) {
                throw new IllegalStateException("model output is not a tensor");
            }
            Tensor y = out.toTensor();
            if (y.dim() != 4 || y.size(0) != 1 || y.size(1) < 2 || y.size(2) != h || y.size(3) != w) {
                throw new IllegalStateException("model output has shape " + shape(y) + ", expected [1, classes >= 2, "
                        + h + ", " + w + "]");
            }
            Tensor pore = y.select(1, 1).contiguous();
            float[] values = new float[w * h];
            new FloatPointer(pore.data_ptr_float()).capacity((long) w * h).get(values);
            return new Plane(w, h, values);
        }
    }

    private static String shape(Tensor t) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < t.dim(); i++) s.append(i == 0 ? "" : ", ").append(t.size(i));
        return s.append(']').toString();
    }
}
