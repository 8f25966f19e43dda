/**
 * TensorFlow Lite graphs to ONNX: {@link dev.porescope.onnx.tflite.TfliteModel} reads the flatbuffer,
 * {@link dev.porescope.onnx.tflite.TfliteToOnnx} writes the float graph as ONNX (IR and opset of
 * {@link dev.porescope.onnx.OnnxWriter}). Used once, by {@code porescope face-models}, to turn
 * MediaPipe's face models into the ONNX files the command line embeds; nothing here runs at analysis time.
 */
package dev.porescope.onnx.tflite;
