package dev.porescope.cli.serve;

import dev.porescope.cli.io.DataFolder;
import dev.porescope.cli.io.ImageFiles;
import dev.porescope.core.image.Mask;
import dev.porescope.core.pores.Components;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web page in a real headless browser (Debian's chromium through chromedriver): drop a photo on it,
 * see its pores drawn, remove one pore by clicking it, paint one, save, and find exactly those two
 * corrections in the saved training mask; the pores are coloured as the overlay PNG colours them; then the
 * file chooser. Skipped, saying why, where no browser is installed.
 */
class ServeBrowserTest {
    static final Path CHROMIUM = Path.of(env("PORESCOPE_CHROMIUM", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(env("PORESCOPE_CHROMEDRIVER", "/usr/bin/chromedriver"));

    @TempDir
    Path tmp;

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Test
    void uploadRemoveAPorePaintOneAndSave() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing; install Debian's chromium and"
                        + " chromium-driver (.ci/run does) to run the browser test");
        Path data = tmp.resolve("training");
        Path photo = ServeClient.photo(tmp, "face", 160, 120, 21);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1200,800",
                "--user-data-dir=" + tmp.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        try (PoreServer server = ServeClient.start(data)) {
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.get("http://127.0.0.1:" + server.port() + "/");
                // dropped on the page, as a user drags a file from their desktop (the file chooser comes last)
                browser.executeScript("const bytes = Uint8Array.from(atob(arguments[0]), (c) => c.charCodeAt(0));"
                        + " const dt = new DataTransfer(); dt.items.add(new File([bytes], 'face.png', {type: 'image/png'}));"
                        + " window.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
                        java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(photo)));
                waitForState(browser, "ready");
                String id = (String) browser.executeScript("return porescope.state.result.id");

                // the model's mask, from the API; the pore to remove is its first component
                Path modelFile = tmp.resolve("model.png");
                Files.write(modelFile, ServeClient.get(server, "/api/results/" + id + "/mask.png").body());
                Mask model = ImageFiles.defaults().readMask(modelFile);
                int[] labels = Components.of(model).labels();
                int seed = firstPixelOf(labels, 1);
                assertTrue(seed >= 0, "the photo should have pores");
                @SuppressWarnings("unchecked")
                List<Number> layer = (List<Number>) browser.executeScript(
                        "const d = porescope.state.layerCtx.getImageData(0, 0, porescope.state.width, porescope.state.height).data;"
                                + " return Array.from(d);");
                int drawn = 0;
                for (int i = 0; i < model.bits().length; i++) {
                    boolean painted = layer.get(4 * i + 3).intValue() > 0;
                    if (model.bits()[i]) {
                        if (painted) drawn++;
                    } else if (painted) {
                        assertEquals(List.of(255, 255, 255), rgb(layer, i), "pixel " + i + " off the pores is drawn, and not"
                                + " as a white zone outline");
                    }
                }
                assertEquals(model.count(), drawn, "every pore pixel of the model is drawn");
                // in the size colour the downloadable overlay (drawn in Java) gives the same pore around it
                Path overlayFile = tmp.resolve("overlay.png");
                Files.write(overlayFile, ServeClient.get(server, "/api/results/" + id + "/overlay.png").body());
                int[] overlay = ImageFiles.defaults().readArgb(overlayFile).argb();
                int ring = ringPixelOf(labels, model.width(), model.height(), 1);
                assertTrue(ring >= 0, "pore 1 has a ring pixel that touches no other pore");
                int expected = overlay[ring];
                assertEquals(List.of((expected >> 16) & 255, (expected >> 8) & 255, expected & 255), rgb(layer, seed),
                        "the page colours pore 1 as the overlay outlines it");

                browser.findElement(By.id("toolRemove")).click();
                clickPixel(browser, seed % model.width(), seed / model.width());

                // paint where the model found nothing within 8 px
                int[] spot = emptySpot(model, 8);
                browser.findElement(By.id("toolBrush")).click();
                clickPixel(browser, spot[0], spot[1]);
                // leave a disc out of the reviewed area (the ROI), far from both corrections
                int[] out = {model.width() - 12, model.height() - 12};
                assertTrue(Math.hypot(out[0] - spot[0], out[1] - spot[1]) > 20
                        && Math.hypot(out[0] - seed % model.width(), out[1] - seed / model.width()) > 20, "the ROI edit is apart");
                browser.findElement(By.id("toolRoiEraser")).click();
                clickPixel(browser, out[0], out[1]);
                String zonesLink = (String) browser.executeScript("return porescope.state.result.links.zones || null");
                if (zonesLink != null) Files.write(tmp.resolve("zones.png"), ServeClient.get(server, zonesLink).body());
                Files.write(Path.of("target", "serve-page.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

                browser.findElement(By.id("save")).click();
                waitForState(browser, "saved");

                // the file chooser analyses a photo as well, replacing the one on the page
                browser.findElement(By.id("file")).sendKeys(photo.toString());
                waitForState(browser, "ready");
                assertTrue(!id.equals(browser.executeScript("return porescope.state.result.id")), "a new result is shown");
            } finally {
                browser.quit();
            }
        }

        Path saved;
        try (Stream<Path> masks = Files.list(data.resolve("masks"))) {
            List<Path> all = masks.toList();
            assertEquals(1, all.size(), all.toString());
            saved = all.get(0);
        }
        Mask model = ImageFiles.defaults().readMask(tmp.resolve("model.png"));
        Mask corrected = ImageFiles.defaults().readMask(saved);
        int[] labels = Components.of(model).labels();
        int[] spot = emptySpot(model, 8);
        double radius = 3; // the page's default brush: 6 px across
        for (int y = 0; y < model.height(); y++) {
            for (int x = 0; x < model.width(); x++) {
                int i = y * model.width() + x;
                boolean inRemovedPore = labels[i] == 1;
                double d = Math.hypot(x - spot[0], y - spot[1]);
                if (inRemovedPore) {
                    assertTrue(!corrected.bits()[i], "pixel " + x + "," + y + " of the removed pore is still a pore");
                } else if (d <= radius - 1) {
                    assertTrue(corrected.bits()[i], "pixel " + x + "," + y + " inside the brush stroke is not painted");
                } else if (d > radius + 1) {
                    assertEquals(model.bits()[i], corrected.bits()[i], "pixel " + x + "," + y + " changed away from both edits");
                }
            }
        }
        // the saved ROI: where the analysis looked (the API's zones mask, else the whole photo) but the left-out disc
        Path roiFile;
        try (Stream<Path> rois = Files.list(data.resolve("roi"))) {
            roiFile = rois.findFirst().orElseThrow();
        }
        Mask roi = ImageFiles.defaults().readMask(roiFile);
        Path zonesFile = tmp.resolve("zones.png");
        Mask analysed = Files.exists(zonesFile) ? ImageFiles.defaults().readMask(zonesFile) : Mask.full(model.width(), model.height());
        int[] out = {model.width() - 12, model.height() - 12};
        int inside = 0;
        for (int y = 0; y < model.height(); y++) {
            for (int x = 0; x < model.width(); x++) {
                int i = y * model.width() + x;
                double d = Math.hypot(x - out[0], y - out[1]);
                if (d <= radius - 1) {
                    assertTrue(!roi.bits()[i], "pixel " + x + "," + y + " was left out of the ROI");
                } else if (d > radius + 1) {
                    assertEquals(analysed.bits()[i], roi.bits()[i], "ROI pixel " + x + "," + y + " differs from the analysed area");
                    if (roi.bits()[i]) inside++;
                }
            }
        }
        assertTrue(inside > model.bits().length / 2, "the ROI covers most of the photo: " + inside + " px");
        assertEquals(1, DataFolder.load(data).size(), "the saved folder loads as training data");
    }

    /** Clicks the centre of image pixel (x, y) with a real pointer. */
    private static void clickPixel(ChromeDriver browser, int x, int y) {
        @SuppressWarnings("unchecked")
        Map<String, Object> at = (Map<String, Object>) browser.executeScript(
                "const p = porescope.toView(arguments[0], arguments[1]);"
                        + " const r = document.getElementById('view').getBoundingClientRect();"
                        + " return {x: r.left + p.x, y: r.top + p.y, scale: porescope.state.scale};", x, y);
        double scale = ((Number) at.get("scale")).doubleValue();
        assertTrue(scale >= 3, "the photo is shown at least 3 screen px a pixel, so a click hits its pixel; scale " + scale);
        new Actions(browser).moveToLocation((int) Math.round(((Number) at.get("x")).doubleValue()),
                (int) Math.round(((Number) at.get("y")).doubleValue())).click().perform();
    }

    private static void waitForState(ChromeDriver browser, String state) throws InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            Object now = ((JavascriptExecutor) browser).executeScript("return document.body.dataset.state");
            if (state.equals(now)) return;
            if ("error".equals(now)) fail("the page says: " + browser.findElement(By.id("status")).getText());
            Thread.sleep(100);
        }
        fail("the page did not reach '" + state + "': " + browser.findElement(By.id("status")).getText());
    }

    private static List<Integer> rgb(List<Number> rgba, int i) {
        return List.of(rgba.get(4 * i).intValue(), rgba.get(4 * i + 1).intValue(), rgba.get(4 * i + 2).intValue());
    }

    /** A background pixel whose 8 neighbours touch pore {@code label} and no other pore (or -1). */
    private static int ringPixelOf(int[] labels, int w, int h, int label) {
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                if (labels[y * w + x] != 0) continue;
                boolean mine = false;
                boolean other = false;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int l = labels[(y + dy) * w + x + dx];
                        if (l == label) mine = true;
                        else if (l != 0) other = true;
                    }
                }
                if (mine && !other) return y * w + x;
            }
        }
        return -1;
    }

    private static int firstPixelOf(int[] labels, int label) {
        for (int i = 0; i < labels.length; i++) if (labels[i] == label) return i;
        return -1;
    }

    /** A pixel at least {@code clear} px from every pore and from the border. */
    private static int[] emptySpot(Mask mask, int clear) {
        for (int y = clear; y < mask.height() - clear; y++) {
            for (int x = clear; x < mask.width() - clear; x++) {
                boolean free = true;
                for (int dy = -clear; dy <= clear && free; dy++) {
                    for (int dx = -clear; dx <= clear && free; dx++) free = !mask.get(x + dx, y + dy);
                }
                if (free) return new int[] {x, y};
            }
        }
        throw new AssertionError("no pore-free spot in the test photo");
    }
}
