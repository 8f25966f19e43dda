/**
 * Face landmarks from MediaPipe's face detector and face mesh on ONNX Runtime
 * ({@link dev.porescope.ort.face.FaceLandmarker}, on {@link dev.porescope.ort.OrtRunner}), for core's
 * {@code FaceZones}. Only {@code ai.onnxruntime} and porescope-core (no ONNX writer, no java.awt), like
 * the rest of this module, which the phone shares. The ONNX files are made by
 * {@code dev.porescope.onnx.tflite} in porescope-onnx.
 */
package dev.porescope.ort.face;
