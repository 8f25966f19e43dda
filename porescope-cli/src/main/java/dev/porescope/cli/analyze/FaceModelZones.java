package dev.porescope.cli.analyze;

import ai.onnxruntime.OrtException;
import dev.porescope.core.face.FaceZones;
import dev.porescope.ort.face.FaceLandmarker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The zones of {@code --zones auto}: MediaPipe's face detector and face mesh (embedded ONNX, made by
 * {@code porescope face-models}) place the landmarks; when the detector finds no face, the pure-Java
 * heuristic decides ({@link FaceZones#findLargeFace}: a large frontal face it finds, else the skin
 * alone). The models are loaded once per process.
 */
public final class FaceModelZones {
    static final String MODELS = "/dev/porescope/cli/models/";
    /** The embedded detector and mesh, as {@code porescope face-models} names them. */
    public static final String DETECTOR_FILE = "face-detection.onnx", MESH_FILE = "face-mesh.onnx";
    /** {@link FaceZones#finder()} when the detector found no face and the heuristic decided. */
    public static final String FALLBACK = FaceZones.HEURISTIC + " (MediaPipe face detection found no face)";
    private static FaceLandmarker landmarker;

    private FaceModelZones() { }

    /** The face zones of a photo, or the skin alone; {@link FaceZones#finder()} says what found them. */
    public static FaceZones find(int[] argb, int width, int height) {
        List<FaceLandmarker.Face> faces;
        try {
            faces = landmarker().find(argb, width, height);
        } catch (OrtException e) {
            throw new IllegalStateException("the face models failed in ONNX Runtime: " + e.getMessage(), e);
        }
        if (faces.size() > 1) {
            return FaceZones.severalFaces(width, height, faces.size(), faces.get(0).landmarks(), faces.get(0).source());
        }
        if (faces.size() == 1) {
            return FaceZones.of(argb, width, height, faces.get(0).landmarks(), faces.get(0).source());
        }
        return FaceZones.findLargeFace(argb, width, height).withFinder(FALLBACK);
    }

    static synchronized FaceLandmarker landmarker() throws OrtException {
        if (landmarker == null) {
            landmarker = new FaceLandmarker(resource(DETECTOR_FILE), resource(MESH_FILE), 0);
        }
        return landmarker;
    }

    private static byte[] resource(String name) {
        try (InputStream in = FaceModelZones.class.getResourceAsStream(MODELS + name)) {
            if (in == null) throw new IllegalStateException("the face model " + name + " is missing from the build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
