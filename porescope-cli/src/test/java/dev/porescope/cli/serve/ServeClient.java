package dev.porescope.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.io.ArgbImage;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.json.Json;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Test helpers: a server on a free port with the DoG model, and plain java.net.http requests to it. */
final class ServeClient {
    private ServeClient() { }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A server on 127.0.0.1, any free port, DoG model (pure Java: fast, no native runtime). */
    /** No request of a test waits longer than this: a server that never answers fails the test, not CI's clock. */
    static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(120);

    /**
     * One HTTP/1.1 exchange over a plain socket: writes {@code head} and {@code body}, half-closes, and
     * returns everything the server sent (status line, headers, body) as text.
     */
    static String exchange(PoreServer server, String head, byte[] body) throws IOException {
        URI u = uri(server, "/");
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static PoreServer start(Path data, long maxUploadBytes, long maxPixels, long memoryBudgetBytes, int parallel) {
        AnalysisService analyses = new AnalysisService(DogModel.defaults(), "dog", new ImageFiles(maxPixels),
                new AnalysisService.Limits(maxUploadBytes, memoryBudgetBytes, parallel, 1, 60, 32));
        PoreServer server = new PoreServer(analyses, new ReviewSaver(data));
        server.start("127.0.0.1", 0);
        return server;
    }

    static PoreServer start(Path data) {
        return start(data, 20L << 20, ImageFiles.DEFAULT_MAX_PIXELS, 512L << 20, 2);
    }

    /** A synthetic skin photo written as PNG. */
    static Path photo(Path dir, String name, int w, int h, long seed) {
        SyntheticPhoto p = new SkinSynthesizer(SynthConfig.defaults(w, h)).generate(name, seed);
        Path file = dir.resolve(name + ".png");
        PngFiles.writeArgb(new ArgbImage(w, h, p.argb()), file);
        return file;
    }

    static URI uri(PoreServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<byte[]> get(PoreServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(server, path)).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POST of one file as multipart/form-data field {@code field}. */
    static HttpResponse<byte[]> postFile(PoreServer server, String path, String field, String fileName, byte[] content)
            throws IOException, InterruptedException {
        return postFile(server, path, field, fileName, content, false);
    }

    /** As above; {@code chunked}: without Content-Length, so that only the streamed size can be checked. */
    static HttpResponse<byte[]> postFile(PoreServer server, String path, String field, String fileName, byte[] content,
                                         boolean chunked) throws IOException, InterruptedException {
        String boundary = "porescope-test-boundary-7f3a";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri(server, path)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.toByteArray()))
                        : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POST of a raw body. */
    static HttpResponse<byte[]> postRaw(PoreServer server, String path, byte[] content) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(server, path)).timeout(TIMEOUT).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> response) throws IOException {
        return Json.mapper().readTree(response.body());
    }
}
