package dev.porescope.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.porescope.cli.MainTest.Run;
import dev.porescope.cli.TestImages;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.cli.io.PngFiles;
import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.image.Mask;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pores.Components;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.porescope.cli.MainTest.porescope;
import static dev.porescope.cli.serve.ServeClient.get;
import static dev.porescope.cli.serve.ServeClient.json;
import static dev.porescope.cli.serve.ServeClient.photo;
import static dev.porescope.cli.serve.ServeClient.postFile;
import static dev.porescope.cli.serve.ServeClient.postRaw;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON API against a real server on a free port (DoG model), checked against the command line. */
class ServeApiTest {
    @TempDir
    static Path tmp;
    static PoreServer server;
    static Path data;

    @BeforeAll
    static void startServer() {
        data = tmp.resolve("training");
        server = ServeClient.start(data);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void analyzeAnswersWhatAnalyzeJsonWritesAndTheSameMask() throws Exception {
        Path photo = photo(tmp, "good", 120, 90, 3);
        Path cliJson = tmp.resolve("good.json");
        Path cliMask = tmp.resolve("good.mask.png");
        Run cli = porescope("analyze", photo.toString(), "--model", "dog", "--pixel-size-um", "2.5",
                "--json", cliJson.toString(), "--mask", cliMask.toString());
        assertEquals(0, cli.code(), cli.err());
        JsonNode expected = Json.mapper().readTree(cliJson.toFile());

        HttpResponse<byte[]> response = postFile(server, "/api/analyze?pixel_size_um=2.5", "photo", "good.png",
                Files.readAllBytes(photo));
        assertEquals(200, response.statusCode(), new String(response.body()));
        JsonNode r = json(response);
        assertTrue(expected.get("summary").get("count").asInt() > 0, "the photo should have pores");
        assertEquals(expected.get("summary"), r.get("summary"));
        assertEquals(expected.get("pores"), r.get("pores"));
        assertEquals(expected.get("model_card"), r.get("model_card"));
        assertEquals("good.png", r.get("photo").asText());
        assertEquals("um^2", r.get("summary").get("areaUnit").asText());

        HttpResponse<byte[]> mask = get(server, r.get("links").get("mask").asText());
        assertEquals(200, mask.statusCode());
        Path served = tmp.resolve("served-mask.png");
        Files.write(served, mask.body());
        assertArrayEquals(ImageFiles.defaults().readMask(cliMask).bits(), ImageFiles.defaults().readMask(served).bits());
        for (String link : List.of("overlay", "histogram")) {
            HttpResponse<byte[]> png = get(server, r.get("links").get(link).asText());
            assertEquals(200, png.statusCode(), link);
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        }
        List<String> csv = new String(get(server, r.get("links").get("csv").asText()).body()).lines().toList();
        assertEquals(r.get("pores").size() + 1, csv.size());
    }

    @Test
    void zonesOptionIsAnalyzesZonesOption() throws Exception {
        Path photo = photo(tmp, "zones", 110, 90, 7);
        for (String zones : List.of("auto", "none")) {
            Path cliJson = tmp.resolve("zones-" + zones + ".json");
            Run cli = porescope("analyze", photo.toString(), "--model", "dog", "--zones", zones, "--json", cliJson.toString());
            assertEquals(0, cli.code(), cli.err());
            JsonNode expected = Json.mapper().readTree(cliJson.toFile());
            JsonNode r = json(postRaw(server, "/api/analyze?name=zones.png&zones=" + zones, Files.readAllBytes(photo)));
            assertEquals(expected.get("summary"), r.get("summary"), zones);
            assertEquals(expected.get("zones"), r.get("zones"), zones);
            assertEquals(zones.equals("auto"), r.has("zone_finder"), zones);
        }
        HttpResponse<byte[]> bad = postRaw(server, "/api/analyze?name=zones.png&zones=maybe", Files.readAllBytes(photo));
        assertEquals(400, bad.statusCode());
        String refusal = json(bad).get("error").asText();
        assertTrue(refusal.contains("auto") && refusal.contains("none") && refusal.contains("'maybe'"), refusal);
        // analyze --zones refuses the same value with the same words (a usage error there: exit 2)
        Run cli = porescope("analyze", photo.toString(), "--model", "dog", "--zones", "maybe");
        assertEquals(2, cli.code(), cli.err());
        assertEquals(1, cli.errLines().size(), cli.err());
        assertTrue(cli.err().contains(refusal), cli.err() + " vs " + refusal);
    }

    @Test
    void rawBodyAndThresholdGoThroughTheCardsThreshold() throws Exception {
        Path photo = photo(tmp, "raw", 100, 80, 5);
        JsonNode atCard = json(postRaw(server, "/api/analyze?name=raw.png", Files.readAllBytes(photo)));
        JsonNode lower = json(postRaw(server, "/api/analyze?name=raw.png&threshold=0.3", Files.readAllBytes(photo)));
        assertEquals(0.3, lower.get("threshold").asDouble());
        assertTrue(lower.get("summary").get("poreFraction").asDouble() > atCard.get("summary").get("poreFraction").asDouble(),
                "a lower threshold marks more pore pixels");
        assertEquals("raw.png", atCard.get("photo").asText());
    }

    @Test
    void badPhotoIs400WithTheCommandLinesMessage() throws Exception {
        Path bad = tmp.resolve("notes.png");
        Files.writeString(bad, "these are not pixels");
        Run cli = porescope("analyze", bad.toString(), "--model", "dog");
        String cliLine = cli.err().strip().replace("porescope: ", "").replace(bad.toString(), "notes.png");
        HttpResponse<byte[]> response = postFile(server, "/api/analyze", "photo", "notes.png", Files.readAllBytes(bad));
        assertEquals(400, response.statusCode());
        assertEquals(cliLine, json(response).get("error").asText());

        Path truncated = TestImages.truncate(photo(tmp, "cut", 120, 90, 2), 0.5);
        response = postFile(server, "/api/analyze", "photo", "cut.png", Files.readAllBytes(truncated));
        assertEquals(400, response.statusCode());
        assertTrue(json(response).get("error").asText().startsWith("cut.png is truncated"), new String(response.body()));

        assertEquals(400, postRaw(server, "/api/analyze?pixel_size_um=-1", Files.readAllBytes(truncated)).statusCode());
    }

    @Test
    void tooLargeUploadsAndPhotosAre413() throws Exception {
        Path photo = photo(tmp, "big", 200, 150, 7);
        // 30,000 pixels allowed: the 200x150 photo is refused from its header, with the CLI's message
        try (PoreServer small = ServeClient.start(null, 1L << 20, 20_000, 64L << 20, 1)) {
            HttpResponse<byte[]> response = postFile(small, "/api/analyze", "photo", "big.png", Files.readAllBytes(photo));
            assertEquals(413, response.statusCode());
            String message = json(response).get("error").asText();
            assertTrue(message.startsWith("big.png is 200x150 (") && message.contains("over the limit of"), message);
            // 1 MB allowed: refused from the Content-Length (3 MB) before a byte of the body is sent, and while
            // streaming a chunked raw body (1.5 MB). Over a plain socket: an HTTP client still writing a multi-MB
            // body when the server answers and closes may have the answer reset under it (a TCP race)
            String length = ServeClient.exchange(small, "POST /api/analyze HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (3 << 20) + "\r\n\r\n", new byte[0]);
            assertTrue(length.startsWith("HTTP/1.1 413"), length);
            assertTrue(length.contains("over the server's limit"), length);
            byte[] chunk = new byte[3 << 19];
            System.arraycopy(Files.readAllBytes(photo), 0, chunk, 0, 8);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            body.writeBytes(chunk);
            body.writeBytes("\r\n0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String streamed = ServeClient.exchange(small, "POST /api/analyze?name=x.png HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n", body.toByteArray());
            assertTrue(streamed.startsWith("HTTP/1.1 413"), streamed);
            HttpResponse<byte[]> chunked = postFile(small, "/api/analyze", "photo", "x.png", new byte[3 << 20], true);
            assertEquals(413, chunked.statusCode(), new String(chunked.body()));
            assertTrue(json(chunked).get("error").asText().contains("limit"), new String(chunked.body()));
        }
    }

    @Test
    void concurrentRequestsAreServedOr503WithinTheMemoryBudget() throws Exception {
        Path photo = photo(tmp, "busy", 256, 256, 9);
        long need = 256L * 256 * dev.porescope.cli.analyze.PhotoRunner.BYTES_PER_PIXEL;
        byte[] bytes = Files.readAllBytes(photo);
        // room for one photo at a time
        try (PoreServer tight = ServeClient.start(null, 8L << 20, ImageFiles.DEFAULT_MAX_PIXELS, need + need / 2, 2)) {
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(clients.submit((Callable<HttpResponse<byte[]>>) () -> postFile(tight, "/api/analyze", "photo", "busy.png", bytes)));
            }
            int served = 0;
            for (Future<HttpResponse<byte[]>> answer : answers) {
                HttpResponse<byte[]> r = answer.get();
                if (r.statusCode() == 200) {
                    served++;
                } else {
                    assertEquals(503, r.statusCode(), new String(r.body()));
                    assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
                    assertTrue(json(r).get("error").asText().contains("busy"), new String(r.body()));
                }
            }
            clients.shutdown();
            assertTrue(served >= 1, "at least one request is served");
            JsonNode health = json(get(tight, "/api/health"));
            assertEquals(health.get("memory_budget_mb").asLong(), health.get("memory_free_mb").asLong(), "all memory returned");
            assertTrue(tight.port() > 0);
            // never more reserved than one photo, though six came at once
            assertTrue(health.get("memory_peak_mb").asDouble() * (1 << 20) <= need + need / 2);
        }
    }

    @Test
    void reviewSaveWritesADataFolderThatTrainingReads() throws Exception {
        Path photo = photo(tmp, "review", 96, 80, 11);
        JsonNode r = json(postFile(server, "/api/analyze", "photo", "../../etc/evil name.png", Files.readAllBytes(photo)));
        Path modelMaskFile = tmp.resolve("model-mask.png");
        Files.write(modelMaskFile, get(server, r.get("links").get("mask").asText()).body());
        Mask model = ImageFiles.defaults().readMask(modelMaskFile);
        // the correction: the first pore removed, a 5x5 square painted where there was none
        Mask corrected = model.copy();
        Components components = Components.of(model);
        assertTrue(components.count() > 0);
        int removed = 0;
        for (int i = 0; i < components.labels().length; i++) {
            if (components.labels()[i] == 1) {
                corrected.bits()[i] = false;
                removed++;
            }
        }
        int[] free = pixelsWithoutPores(model, 7);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) corrected.set(free[0] + x, free[1] + y, true);
        }
        int added = 25;
        Path correctedFile = tmp.resolve("corrected.png");
        PngFiles.writeMask(corrected, correctedFile);
        HttpResponse<byte[]> saved = postFile(server, r.get("links").get("review").asText(), "mask", "whatever.png",
                Files.readAllBytes(correctedFile));
        assertEquals(201, saved.statusCode(), new String(saved.body()));
        JsonNode s = json(saved);
        String name = s.get("name").asText();
        assertTrue(name.matches("evil_name-\\d{8}-\\d{6}"), name);
        assertEquals(added, s.get("added").asInt());
        assertEquals(removed, s.get("removed").asInt());

        List<LabelledImage> folder = DataFolder.load(data);
        assertEquals(1, folder.size());
        LabelledImage image = folder.get(0);
        assertEquals(name, image.name());
        assertArrayEquals(corrected.bits(), image.label().bits());
        assertEquals(Mask.full(96, 80), image.roi());
        assertArrayEquals(Files.readAllBytes(photo), Files.readAllBytes(data.resolve("images").resolve(name + ".png")));
        try (var files = Files.list(data.resolve("masks"))) {
            assertEquals(List.of(name + ".png"), files.map(p -> p.getFileName().toString()).toList(), "no temporary files left");
        }

        // a mask of another size is refused, and nothing more is written
        Path wrong = tmp.resolve("wrong.png");
        PngFiles.writeMask(new Mask(80, 96), wrong);
        HttpResponse<byte[]> refused = postFile(server, r.get("links").get("review").asText(), "mask", "m.png", Files.readAllBytes(wrong));
        assertEquals(400, refused.statusCode());
        assertTrue(json(refused).get("error").asText().contains("80x96"), new String(refused.body()));
        assertEquals(1, DataFolder.load(data).size());
    }

    @Test
    void anAnalysisPastTheTimeoutIs503AndItsMemoryReturnsWhenItEnds() throws Exception {
        // the DoG model, 2.5 s slower per tile: past a 1 s timeout
        DogModel dog = DogModel.defaults();
        SegmentationModel slow = new SegmentationModel() {
            @Override public Plane predict(Plane tile) {
                try {
                    Thread.sleep(2500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return dog.predict(tile);
            }
            @Override public int margin() { return dog.margin(); }
            @Override public ModelCard card() { return dog.card(); }
        };
        AnalysisService analyses = new AnalysisService(slow, "slow dog", ImageFiles.defaults(),
                new AnalysisService.Limits(8L << 20, 64L << 20, 1, 1, 1, 4));
        try (PoreServer slowServer = new PoreServer(analyses, new ReviewSaver(null))) {
            slowServer.start("127.0.0.1", 0);
            HttpResponse<byte[]> r = postRaw(slowServer, "/api/analyze?name=slow.png", Files.readAllBytes(photo(tmp, "slow", 40, 40, 3)));
            assertEquals(503, r.statusCode(), new String(r.body()));
            assertTrue(json(r).get("error").asText().contains("took longer than 1 s"), new String(r.body()));
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            long end = System.nanoTime() + 20_000_000_000L;
            while (analyses.memoryFreeBytes() < analyses.memoryBudgetBytes() && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(analyses.memoryBudgetBytes(), analyses.memoryFreeBytes(), "the memory comes back when the analysis ends");
        }
    }

    /** Top-left corner of a {@code side} x {@code side} square without pore pixels. */
    private static int[] pixelsWithoutPores(Mask mask, int side) {
        for (int y = 0; y + side <= mask.height(); y++) {
            for (int x = 0; x + side <= mask.width(); x++) {
                boolean free = true;
                for (int dy = 0; dy < side && free; dy++) {
                    for (int dx = 0; dx < side && free; dx++) free = !mask.get(x + dx, y + dy);
                }
                if (free) return new int[] {x + 1, y + 1};
            }
        }
        throw new AssertionError("no pore-free square in the test photo");
    }

    @Test
    void errorsAreJsonAndSavingNeedsData() throws Exception {
        HttpResponse<byte[]> unknown = get(server, "/api/results/0123456789abcdef");
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().contains("analyse the photo again"));
        assertEquals(404, get(server, "/api/results/..%2F..%2Fetc").statusCode());
        HttpResponse<byte[]> nowhere = get(server, "/nowhere");
        assertEquals(404, nowhere.statusCode());
        assertTrue(json(nowhere).get("error").asText().contains("/nowhere"));
        try (PoreServer noData = ServeClient.start(null)) {
            JsonNode r = json(postRaw(noData, "/api/analyze?name=a.png", Files.readAllBytes(photo(tmp, "nodata", 40, 40, 1))));
            HttpResponse<byte[]> refused = postRaw(noData, r.get("links").get("review").asText(), new byte[] {1, 2, 3});
            assertEquals(409, refused.statusCode());
            assertTrue(json(refused).get("error").asText().contains("--data"));
        }
    }

    @Test
    void everyGetPathOfTheOpenApiDescriptionAnswers() throws Exception {
        JsonNode spec = json(get(server, "/api/openapi.json"));
        JsonNode r = json(postRaw(server, "/api/analyze?name=o.png", Files.readAllBytes(photo(tmp, "openapi", 48, 40, 2))));
        String id = r.get("id").asText();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getValue().has("get")) continue;
            HttpResponse<byte[]> response = get(server, path.getKey().replace("{id}", id));
            assertEquals(200, response.statusCode(), path.getKey());
            checked++;
        }
        assertTrue(checked >= 8, "GET paths checked: " + checked);
        assertNotNull(json(get(server, "/api/models")).get("models").get(0).get("card").get("name"));
        assertEquals("ok", json(get(server, "/api/health")).get("status").asText());
    }
}
