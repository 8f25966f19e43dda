package dev.porescope.cli.commands;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.porescope.cli.analyze.FaceModelZones;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.io.AtomicFiles;
import dev.porescope.onnx.tflite.TfliteModel;
import dev.porescope.onnx.tflite.TfliteToOnnx;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code porescope face-models --npm DIR --out DIR}: MediaPipe's face detector and face mesh, read from
 * the npm packages' TFLite files and written as ONNX (what {@code analyze --zones auto} embeds).
 */
@Command(name = "face-models", sortOptions = false,
        description = "Convert MediaPipe's short-range face detector and 468-point face mesh (Apache-2.0, from the npm"
                + " packages made by: npm pack @mediapipe/face_detection@" + FaceModelsCommand.DETECTION_VERSION
                + " @mediapipe/face_mesh@" + FaceModelsCommand.MESH_VERSION + ") from TFLite to ONNX:"
                + " " + FaceModelsCommand.DETECTOR_FILE + " and " + FaceModelsCommand.MESH_FILE + ".")
public final class FaceModelsCommand implements Callable<Integer> {
    static final String DETECTION_VERSION = "0.4.1657300184";
    static final String MESH_VERSION = "0.4.1657299874";
    static final String DETECTOR_FILE = FaceModelZones.DETECTOR_FILE;
    static final String MESH_FILE = FaceModelZones.MESH_FILE;

    @Option(names = "--npm", required = true, paramLabel = "DIR",
            description = "Folder with mediapipe-face_detection-" + DETECTION_VERSION + ".tgz and mediapipe-face_mesh-"
                    + MESH_VERSION + ".tgz (what npm pack writes).")
    Path npm;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the two .onnx files.")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path detection = npm.resolve("mediapipe-face_detection-" + DETECTION_VERSION + ".tgz");
        Path mesh = npm.resolve("mediapipe-face_mesh-" + MESH_VERSION + ".tgz");
        byte[] detector = entry(detection, "package/face_detection_short_range.tflite");
        byte[] packed = entry(mesh, "package/face_mesh_solution_packed_assets.data");
        String loader = new String(entry(mesh, "package/face_mesh_solution_packed_assets_loader.js"), StandardCharsets.UTF_8);
        byte[] landmarks = packedFile(packed, loader, "face_landmark.tflite", mesh);
        Files.createDirectories(out);
        write(o, detector, "@mediapipe/face_detection@" + DETECTION_VERSION + " face_detection_short_range.tflite",
                out.resolve(DETECTOR_FILE));
        write(o, landmarks, "@mediapipe/face_mesh@" + MESH_VERSION + " face_mesh_solution_packed_assets.data:face_landmark.tflite",
                out.resolve(MESH_FILE));
        return 0;
    }

    private static void write(PrintWriter o, byte[] tflite, String source, Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "npm " + source);
        meta.put("source_sha256", sha256(tflite));
        meta.put("license", "Apache-2.0 (Copyright The MediaPipe Authors); converted from TFLite by porescope face-models");
        ModelProto model;
        try {
            model = TfliteToOnnx.convert(TfliteModel.read(tflite), meta);
        } catch (IllegalArgumentException e) {
            throw new UserException(source + ": cannot convert: " + e.getMessage());
        }
        byte[] bytes = model.toByteArray();
        AtomicFiles.writeBytes(file, bytes);
        o.printf("%s: %,d nodes, %,d bytes (TFLite %,d bytes)%n", file, model.getGraph().getNodeCount(), bytes.length, tflite.length);
    }

    /** One file of a .tgz, by its path inside. */
    static byte[] entry(Path tgz, String name) throws IOException {
        if (!Files.isRegularFile(tgz)) {
            throw new UserException(tgz + " not found: run npm pack @mediapipe/face_detection@" + DETECTION_VERSION
                    + " @mediapipe/face_mesh@" + MESH_VERSION + " in that folder");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(name)) return tar.readAllBytes();
            }
        } catch (IOException e) {
            throw new UserException(tgz + ": not a readable npm package (.tgz): " + e.getMessage());
        }
        throw new UserException(tgz + " has no " + name + ": give the npm package of the version named in --help");
    }

    /** A file of MediaPipe's packed assets: its byte range is listed in the loader script. */
    static byte[] packedFile(byte[] packed, String loader, String name, Path tgz) {
        Matcher m = Pattern.compile("\"filename\":\\s*\"[^\"]*/" + Pattern.quote(name) + "\",\\s*\"start\":\\s*(\\d+),\\s*\"end\":\\s*(\\d+)")
                .matcher(loader);
        if (!m.find()) throw new UserException(tgz + ": the packed-assets loader lists no " + name);
        long start = Long.parseLong(m.group(1)), end = Long.parseLong(m.group(2));
        if (start < 0 || end > packed.length || start >= end) {
            throw new UserException(tgz + ": " + name + " at bytes " + start + "-" + end + " lies outside the packed assets ("
                    + packed.length + " bytes)");
        }
        return Arrays.copyOfRange(packed, (int) start, (int) end);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
