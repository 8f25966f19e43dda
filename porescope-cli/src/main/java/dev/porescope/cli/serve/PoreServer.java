package dev.porescope.cli.serve;

import dev.porescope.cli.analyze.AnalysisJson;
import dev.porescope.cli.analyze.Zones;
import dev.porescope.cli.support.Messages;
import dev.porescope.cli.support.UserException;
import dev.porescope.core.image.Mask;
import dev.porescope.core.json.Json;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code porescope serve}: the JSON API and the web page, on Javalin (Jetty 12). Every analysis goes
 * through {@link AnalysisService} (the {@code analyze} code path); errors are
 * {@code {"error": "<the command line's one-line message>"}}.
 */
public final class PoreServer implements AutoCloseable {
    /** Where the page's files live on the class path. */
    static final String WEB = "/dev/porescope/cli/serve/web/";
    /** Connections idle this long (a stalled upload) are closed, ms. */
    static final long IDLE_TIMEOUT_MS = 30_000;

    private final AnalysisService analyses;
    private final ReviewSaver reviews;
    private final Javalin app;

    public PoreServer(AnalysisService analyses, ReviewSaver reviews) {
        this.analyses = analyses;
        this.reviews = reviews;
        long maxUpload = analyses.limits().maxUploadBytes();
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = maxUpload;
            config.jetty.multipartConfig.maxFileSize(maxUpload, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxUpload + 1024 * 1024, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.routes.get("/", ctx -> resource(ctx, "index.html", "text/html; charset=utf-8"));
            config.routes.get("/app.js", ctx -> resource(ctx, "app.js", "text/javascript; charset=utf-8"));
            config.routes.get("/app.css", ctx -> resource(ctx, "app.css", "text/css; charset=utf-8"));
            config.routes.get("/api/openapi.json", ctx -> resource(ctx, "openapi.json", "application/json"));
            config.routes.get("/api/health", this::health);
            config.routes.get("/api/models", this::models);
            config.routes.post("/api/analyze", this::analyze);
            config.routes.get("/api/results/{id}", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).json(), "application/json"));
            config.routes.get("/api/results/{id}/photo", this::photo);
            config.routes.get("/api/results/{id}/mask.png", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).mask(), "image/png"));
            config.routes.get("/api/results/{id}/overlay.png", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).overlay(), "image/png"));
            config.routes.get("/api/results/{id}/histogram.png", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).histogram(), "image/png"));
            config.routes.get("/api/results/{id}/zones.png", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).zones(), "image/png"));
            config.routes.get("/api/results/{id}/layer.png", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).layer(), "image/png"));
            config.routes.get("/api/results/{id}/pores.csv", ctx -> file(ctx, analyses.get(ctx.pathParam("id")).csv(), "text/csv; charset=utf-8"));
            config.routes.post("/api/results/{id}/review", this::review);
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.retryAfterSeconds()));
            config.routes.exception(UserException.class, (e, ctx) -> error(ctx, 400, Messages.message(e), null));
            config.routes.exception(Exception.class, (e, ctx) -> {
                ApiException upload = uploadProblem(e);
                if (upload != null) {
                    error(ctx, upload.status(), upload.getMessage(), null);
                } else {
                    error(ctx, status(e), message(e), null);
                }
            });
            config.routes.error(404, ctx -> {
                if (!isJson(ctx)) error(ctx, 404, "no such address: " + SafeNames.printable(ctx.path())
                        + "; see /api/openapi.json", null);
            });
            config.routes.error(405, ctx -> {
                if (!isJson(ctx)) error(ctx, 405, ctx.method() + " is not allowed on " + SafeNames.printable(ctx.path())
                        + "; see /api/openapi.json", null);
            });
        });
    }

    /** Starts listening on {@code host:port} (port 0 = any free port); returns the port. */
    public int start(String host, int port) {
        app.start(host, port);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector s) s.setIdleTimeout(IDLE_TIMEOUT_MS);
        }
        return port();
    }

    public int port() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector s) return s.getLocalPort();
        }
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        analyses.close();
    }

    // ---------------------------------------------------------------- handlers

    private void health(Context ctx) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("status", "ok");
        h.put("model", analyses.modelName());
        h.put("analyses_running", analyses.running());
        h.put("analyses_waiting", analyses.waiting());
        h.put("memory_budget_mb", analyses.memoryBudgetBytes() / (1024 * 1024));
        h.put("memory_free_mb", analyses.memoryFreeBytes() / (1024 * 1024));
        h.put("memory_peak_mb", analyses.memoryPeakBytes() / (1024 * 1024));
        h.put("max_upload_mb", analyses.limits().maxUploadBytes() / (1024 * 1024));
        h.put("max_megapixels", analyses.files().maxPixels() / 1e6);
        h.put("saving", reviews.dataDir() != null);
        json(ctx, 200, h);
    }

    private void models(Context ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", analyses.modelName());
        m.put("card", AnalysisJson.card(analyses.model().card()));
        json(ctx, 200, Map.of("default", analyses.modelName(), "models", List.of(m)));
    }

    private void analyze(Context ctx) throws IOException {
        requireLength(ctx);
        AnalysisService.Options options = new AnalysisService.Options(
                number(ctx, "threshold", 0, 1, false), number(ctx, "pixel_size_um", 0, Double.MAX_VALUE, false),
                zones(ctx).found());
        AnalysisService.Stored stored;
        if (ctx.isMultipart()) {
            UploadedFile photo = uploaded(ctx, "photo");
            try (InputStream in = photo.content()) {
                stored = analyses.analyze(in, photo.filename(), options);
            }
        } else {
            try (InputStream in = ctx.bodyInputStream()) {
                stored = analyses.analyze(in, param(ctx, "name"), options);
            }
        }
        ctx.header("Location", "/api/results/" + stored.id());
        file(ctx, stored.json(), "application/json");
    }

    private void photo(Context ctx) {
        AnalysisService.Stored stored = analyses.get(ctx.pathParam("id"));
        String name = stored.photo().getFileName().toString();
        file(ctx, stored.photo(), name.endsWith(".png") ? "image/png" : "image/jpeg");
    }

    /** The corrected mask (multipart part "mask", or the raw body), optional part "roi"; writes into --data. */
    private void review(Context ctx) throws IOException {
        AnalysisService.Stored stored = analyses.get(ctx.pathParam("id"));
        if (reviews.dataDir() == null) {
            throw new ApiException(409, "this server has no data folder to save into; start it with 'porescope serve --data DIR'");
        }
        requireLength(ctx);
        Path maskFile;
        Path roiFile = null;
        if (ctx.isMultipart()) {
            try (InputStream in = uploaded(ctx, "mask").content()) {
                maskFile = analyses.receive(stored, in, "the mask");
            }
            List<UploadedFile> roi = ctx.uploadedFiles("roi");
            if (!roi.isEmpty()) {
                try (InputStream in = roi.get(0).content()) {
                    roiFile = analyses.receive(stored, in, "the ROI");
                }
            }
        } else {
            try (InputStream in = ctx.bodyInputStream()) {
                maskFile = analyses.receive(stored, in, "the mask");
            }
        }
        try {
            Mask mask = readMask(maskFile, "the mask");
            Mask roi = roiFile == null ? null : readMask(roiFile, "the ROI");
            Mask model = analyses.files().readMask(stored.mask());
            json(ctx, 201, reviews.save(stored, mask, roi, model));
        } finally {
            Files.deleteIfExists(maskFile);
            if (roiFile != null) Files.deleteIfExists(roiFile);
        }
    }

    private Mask readMask(Path file, String what) {
        try {
            analyses.files().readSizeWithinLimit(file);
            return analyses.files().readMask(file);
        } catch (UserException e) {
            throw new ApiException(400, what + " is not a readable PNG mask (" + Messages.message(e)
                    .replace(file.toString(), "upload") + ")");
        }
    }

    // ---------------------------------------------------------------- helpers

    private UploadedFile uploaded(Context ctx, String field) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile(field);
        } catch (RuntimeException e) {
            throw tooLargeOr(e);
        }
        if (file == null) {
            List<UploadedFile> any = ctx.uploadedFiles();
            if (any.isEmpty()) throw new ApiException(400, "the request has no file; send the " + field
                    + " as the multipart field '" + field + "' or as the raw body");
            file = any.get(0);
        }
        return file;
    }

    private RuntimeException tooLargeOr(RuntimeException e) {
        ApiException upload = uploadProblem(e);
        return upload != null ? upload : e;
    }

    /**
     * What Jetty's multipart parser threw, as the answer it deserves: 413 when a part or the request
     * passed the size limit (seen only while streaming when there is no Content-Length), 400 for a body
     * that is not multipart; null for anything else.
     */
    ApiException uploadProblem(Throwable e) {
        boolean badMessage = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("exceed") || m.contains("too large") || m.contains("max file size") || m.contains("413")) {
                return new ApiException(413, "the upload is larger than the server's limit of "
                        + analyses.limits().maxUploadBytes() / (1024 * 1024) + " MB; scale the photo down or start the server"
                        + " with a larger --max-upload-mb");
            }
            badMessage |= t instanceof org.eclipse.jetty.http.BadMessageException || m.contains("multipart");
        }
        return badMessage ? new ApiException(400, "the upload is not valid multipart/form-data (" + SafeNames.printable(
                rootMessage(e)) + "); send the photo as the multipart field 'photo' or as the raw body") : null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return String.valueOf(t.getMessage());
    }

    /** 413 from the Content-Length alone, before a byte of the body is read. */
    private void requireLength(Context ctx) {
        long max = analyses.limits().maxUploadBytes();
        long length = ctx.req().getContentLengthLong();
        if (length > max + 1024 * 1024) {
            throw new ApiException(413, "the upload is " + length / (1024 * 1024) + " MB, over the server's limit of "
                    + max / (1024 * 1024) + " MB; scale the photo down or start the server with a larger --max-upload-mb");
        }
    }

    private String param(Context ctx, String name) {
        String q = ctx.queryParam(name);
        if (q == null && ctx.isMultipart()) {
            try {
                q = ctx.formParam(name);
            } catch (RuntimeException e) {
                throw tooLargeOr(e);
            }
        }
        return q == null || q.isBlank() ? null : q.strip();
    }

    /** The {@code zones} field as {@code analyze --zones} reads it (same values, same refusal); auto when absent. */
    private Zones zones(Context ctx) {
        String text = param(ctx, "zones");
        if (text == null) return Zones.AUTO;
        try {
            return Zones.parse(SafeNames.printable(text));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    private Double number(Context ctx, String name, double above, double atMost, boolean required) {
        String text = param(ctx, name);
        if (text == null) {
            if (required) throw new ApiException(400, "'" + name + "' is missing");
            return null;
        }
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "'" + name + "' must be a number, got '" + SafeNames.printable(text) + "'");
        }
        if (!(v > above && v <= atMost) || !Double.isFinite(v)) {
            throw new ApiException(400, String.format(Locale.ROOT, "'%s' must be above %s%s, got %s", name,
                    fmt(above), atMost < Double.MAX_VALUE ? " and at most " + fmt(atMost) : "", SafeNames.printable(text)));
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = PoreServer.class.getResourceAsStream(WEB + name)) {
            if (in == null) throw new ApiException(404, "this build has no " + name);
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    private static void file(Context ctx, Path file, String type) {
        try {
            ctx.contentType(type).header("Cache-Control", "no-store").result(Files.newInputStream(file));
        } catch (IOException e) {
            throw new ApiException(404, "the result's file " + file.getFileName() + " is gone; analyse the photo again");
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.mapper().writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    static void error(Context ctx, int status, String message, Integer retryAfter) {
        if (retryAfter != null) ctx.header("Retry-After", Integer.toString(retryAfter));
        json(ctx, status, Map.of("error", message));
    }

    private static int status(Exception e) {
        return e instanceof io.javalin.http.HttpResponseException h ? h.getStatus() : 500;
    }

    private static String message(Exception e) {
        if (e instanceof io.javalin.http.HttpResponseException h) return h.getMessage();
        String message = Messages.message(e);
        // an internal error is also the operator's business: one line on the server's stderr
        System.err.println("porescope: " + message);
        if (System.getenv(Messages.DEBUG_ENV) != null) e.printStackTrace();
        return message;
    }
}
