/**
 * PoreScope on ONNX Runtime, for the desktop and Android alike (the {@code ai.onnxruntime} Java API
 * of the desktop jar and of the onnxruntime-android AAR is the same): {@link dev.porescope.ort.OrtRunner}
 * is the one session wrapper, {@link dev.porescope.ort.OnnxModel} the {@code SegmentationModel} over an
 * {@code .onnx} or {@code .ort} file that core's pure-Java reader checked first. No ONNX writer and no
 * protobuf library here: exporting is module porescope-onnx.
 */
package dev.porescope.ort;
