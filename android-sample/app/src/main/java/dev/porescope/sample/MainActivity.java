package dev.porescope.sample;

import android.app.Activity;
import android.content.Intent;
import android.graphics.Bitmap;
import android.graphics.BitmapFactory;
import android.graphics.Matrix;
import android.media.ExifInterface;
import android.net.Uri;
import android.os.Bundle;
import android.widget.Button;
import android.widget.ImageView;
import android.widget.LinearLayout;
import android.widget.ScrollView;
import android.widget.TextView;

import dev.porescope.android.PoreModel;
import dev.porescope.android.PoreReport;
import dev.porescope.android.PoreScope;
import dev.porescope.android.SelfTestResult;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One screen: load the model shipped in assets and run its self-test, pick a photo, analyse it on the
 * device, show the pores outlined and the pore count. All PoreScope work runs on a background thread.
 */
public class MainActivity extends Activity {
    private static final int PICK_PHOTO = 1;
    /** Model file names looked for in assets/, first found wins. */
    private static final String[] MODEL_ASSETS = {"porescope-default.ptl", "porescope-default.ort", "porescope-default.onnx"};
    /** Photos are decoded at most this many pixels wide or high, to bound memory and time. */
    private static final int MAX_SIDE = 2048;

    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private PoreModel model;
    private TextView status;
    private ImageView image;
    private Button pick;

    @Override
    protected void onCreate(Bundle savedInstanceState) {
        super.onCreate(savedInstanceState);
        LinearLayout column = new LinearLayout(this);
        column.setOrientation(LinearLayout.VERTICAL);
        int pad = (int) (16 * getResources().getDisplayMetrics().density);
        column.setPadding(pad, pad, pad, pad);
        pick = new Button(this);
        pick.setText("Pick a skin photo");
        pick.setEnabled(false);
        pick.setOnClickListener(v -> {
            Intent intent = new Intent(Intent.ACTION_GET_CONTENT).setType("image/*").addCategory(Intent.CATEGORY_OPENABLE);
            startActivityForResult(Intent.createChooser(intent, "Skin photo"), PICK_PHOTO);
        });
        status = new TextView(this);
        status.setText("Loading the model…");
        image = new ImageView(this);
        image.setAdjustViewBounds(true);
        column.addView(pick);
        column.addView(status);
        column.addView(image);
        ScrollView scroll = new ScrollView(this);
        scroll.addView(column);
        setContentView(scroll);
        worker.execute(this::loadModel);
    }

    private void loadModel() {
        String asset = findModelAsset();
        if (asset == null) {
            show("No model in assets/: add porescope-default.ptl (or .onnx/.ort), see porescope-android/README.md.", null);
            return;
        }
        try {
            PoreModel loaded = PoreScope.loadAsset(this, asset);
            SelfTestResult check = loaded.selfTest();
            runOnUiThread(() -> {
                model = loaded;
                pick.setEnabled(true);
                status.setText(loaded.card().name() + " (" + loaded.card().runtime() + ", " + loaded.card().precision()
                        + ")\n" + check.message());
            });
        } catch (RuntimeException e) {
            show("Cannot load " + asset + ": " + e.getMessage(), null);
        }
    }

    private String findModelAsset() {
        try {
            String[] names = getAssets().list("");
            for (String wanted : MODEL_ASSETS) {
                for (String name : names) {
                    if (name.equals(wanted)) return name;
                }
            }
        } catch (IOException ignored) {
            // no assets folder: reported as no model
        }
        return null;
    }

    @Override
    protected void onActivityResult(int requestCode, int resultCode, Intent data) {
        super.onActivityResult(requestCode, resultCode, data);
        if (requestCode != PICK_PHOTO || resultCode != RESULT_OK || data == null || data.getData() == null) {
            return;
        }
        Uri uri = data.getData();
        PoreModel current = model;
        pick.setEnabled(false);
        status.setText("Analysing…");
        worker.execute(() -> analyse(current, uri));
    }

    private void analyse(PoreModel current, Uri uri) {
        try {
            Bitmap photo = decode(uri);
            long start = System.nanoTime();
            PoreReport report = current.analyze(photo);
            Bitmap overlay = current.overlay(photo, report);
            double seconds = (System.nanoTime() - start) / 1e9;
            show(String.format(Locale.ROOT, "%d pores in %dx%d px (%.1f per 100x100 px, median area %.1f px), %.1f s",
                    report.count(), report.width(), report.height(), report.poresPer100x100Pixels(),
                    report.summary().medianArea(), seconds), overlay);
        } catch (IOException | RuntimeException e) {
            show("Cannot analyse this photo: " + e.getMessage(), null);
        }
    }

    /** An ARGB_8888 Bitmap of the photo, upright (EXIF orientation applied) and at most MAX_SIDE px. */
    private Bitmap decode(Uri uri) throws IOException {
        BitmapFactory.Options bounds = new BitmapFactory.Options();
        bounds.inJustDecodeBounds = true;
        try (InputStream in = getContentResolver().openInputStream(uri)) {
            BitmapFactory.decodeStream(in, null, bounds);
        }
        if (bounds.outWidth <= 0 || bounds.outHeight <= 0) {
            throw new IOException("not an image this phone can decode");
        }
        BitmapFactory.Options options = new BitmapFactory.Options();
        options.inPreferredConfig = Bitmap.Config.ARGB_8888;  // what PoreScope reads; see Bitmaps.toArgb8888
        options.inSampleSize = 1;
        while (Math.max(bounds.outWidth, bounds.outHeight) / options.inSampleSize > MAX_SIDE) {
            options.inSampleSize *= 2;
        }
        Bitmap bitmap;
        try (InputStream in = getContentResolver().openInputStream(uri)) {
            bitmap = BitmapFactory.decodeStream(in, null, options);
        }
        if (bitmap == null) {
            throw new IOException("not an image this phone can decode");
        }
        int degrees;
        try (InputStream in = getContentResolver().openInputStream(uri)) {
            int orientation = new ExifInterface(in).getAttributeInt(ExifInterface.TAG_ORIENTATION, ExifInterface.ORIENTATION_NORMAL);
            degrees = orientation == ExifInterface.ORIENTATION_ROTATE_90 ? 90
                    : orientation == ExifInterface.ORIENTATION_ROTATE_180 ? 180
                    : orientation == ExifInterface.ORIENTATION_ROTATE_270 ? 270 : 0;
        }
        if (degrees == 0) {
            return bitmap;
        }
        Matrix rotate = new Matrix();
        rotate.postRotate(degrees);
        return Bitmap.createBitmap(bitmap, 0, 0, bitmap.getWidth(), bitmap.getHeight(), rotate, true);
    }

    private void show(String message, Bitmap overlay) {
        runOnUiThread(() -> {
            status.setText(message);
            if (overlay != null) image.setImageBitmap(overlay);
            pick.setEnabled(model != null);
        });
    }

    @Override
    protected void onDestroy() {
        PoreModel current = model;
        if (current != null) {
            worker.execute(current::close);  // after an analysis that may still be running
        }
        worker.shutdown();
        super.onDestroy();
    }
}
