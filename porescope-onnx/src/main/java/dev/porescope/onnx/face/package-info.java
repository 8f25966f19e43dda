/**
 * Face landmarks from MediaPipe's face detector and face mesh on ONNX Runtime
 * ({@link dev.porescope.onnx.face.FaceLandmarker}), for core's {@code FaceZones}. Depends on
 * {@code ai.onnxruntime} and porescope-core only (no ONNX writer, no java.awt), so it can move with the
 * ONNX Runtime classes the phone shares.
 */
package dev.porescope.onnx.face;
