/**
 * PoreScope models exported for ONNX Runtime: {@link dev.porescope.onnx.OnnxWriter} writes the U-Net
 * from the spec's topology walk, {@link dev.porescope.onnx.OnnxExport} makes {@code .onnx} and
 * {@code .ort} files with their model card, and {@link dev.porescope.onnx.GraphCheck} is the desktop's
 * pure-Java check that an .onnx graph is the one written for its card. Running them is module
 * porescope-ort ({@code dev.porescope.ort.OnnxModel}, behind the {@code SegmentationModel} seam), which
 * Android shares.
 *
 * <p>Choices, and why:
 * <ul>
 * <li>Graph: IR 8, opset 17; input {@code x} [N,1,H,W], output {@code probability} [N,classes,H,W]
 *     with N, H, W symbolic. BatchNorm (eps 1e-5) is folded into the convolutions. A 2x2 stride-2
 *     transposed convolution is a 1x1 convolution to 4*out channels then {@code DepthToSpace(2, DCR)};
 *     in DCR mode PyTorch's weight W[c, o, a, b] goes to 1x1 output channel (a*2 + b)*out + o
 *     (o*4 + a*2 + b would be CRD mode). LeakyReLU is applied before DepthToSpace (they commute).</li>
 * <li>fp16: weights and activations float16, a Cast after the input and before the softmax, so the
 *     interface stays float32 and the file is half the size. ONNX Runtime's x86 CPU build inserts
 *     Casts around ops without fp16 kernels and runs them in fp32; ARM builds have fp16 kernels.
 *     {@code .ort} files of fp16 models are saved without optimisation, which would otherwise
 *     turn the weights back into fp32.</li>
 * <li>int8: QDQ ({@link dev.porescope.onnx.Quantization} the arithmetic, {@link dev.porescope.onnx.QdqNodes}
 *     the nodes, {@link dev.porescope.onnx.KeepFloat} which layers stay float) with per-output-channel
 *     symmetric int8 weights, int32 biases at input scale x weight scale and corrected for the int8
 *     weights' mean shift, uint8 activations at the 99.999th percentile of each calibration tile
 *     (averaged over tiles). ONNX Runtime (level
 *     EXTENDED and up) turns it into QLinearConv, QLinearConcat, QLinearLeakyRelu and uint8
 *     MaxPool/DepthToSpace. The layers {@code --int8-keep-float} names run in float (default
 *     {@code first,last}: the first conv, the last decoder conv and the 1x1 head), and the softmax
 *     always does, so probabilities near the threshold keep float logits. The last two are com.microsoft contrib ops: present in the
 *     standard ONNX Runtime packages, absent from custom reduced-operator builds. On x86 CPUs
 *     without VNNI (this machine's AMD EPYC has AVX2 only), ONNX Runtime's u8s8 kernels add pairs of
 *     uint8 x int8 products in int16 and may saturate: an all-int8 slim model agreed 0.69 with
 *     8-bit weights and 0.9885 with 7-bit ones (bias-corrected); the float first layer avoids
 *     most of it.</li>
 * <li>The card (JSON, key {@code porescope.json}) lives in the ONNX metadata_props, and ONNX Runtime
 *     keeps metadata_props when it saves the ORT format, so {@code .ort} files carry the same
 *     card with no sidecar. Core's {@code dev.porescope.core.modelfile.ModelFileReader} reads it in pure
 *     Java from either format before ONNX Runtime is called; {@code GraphCheck} refuses an .onnx
 *     graph that is not the one {@link dev.porescope.onnx.OnnxWriter} writes for the card's spec. ORT-format files are tied to the runtime that wrote
 *     them: load them with ONNX Runtime 1.23 or newer.</li>
 * </ul>
 */
package dev.porescope.onnx;
