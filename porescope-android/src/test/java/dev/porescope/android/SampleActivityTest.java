package dev.porescope.android;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.robolectric.Shadows.shadowOf;

import android.os.Looper;
import android.widget.Button;
import android.widget.LinearLayout;
import android.widget.ScrollView;
import android.widget.TextView;

import dev.porescope.sample.MainActivity;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.robolectric.Robolectric;
import org.robolectric.RobolectricTestRunner;
import org.robolectric.android.controller.ActivityController;
import org.robolectric.annotation.Config;

/** The sample app's Activity starts, and says what to do when no model is in its assets. */
@RunWith(RobolectricTestRunner.class)
@Config(sdk = 34)
public class SampleActivityTest {
    @Test
    public void startsAndExplainsAMissingModel() throws InterruptedException {
        ActivityController<MainActivity> controller = Robolectric.buildActivity(MainActivity.class).setup();
        MainActivity activity = controller.get();
        TextView status = null;
        Button pick = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            shadowOf(Looper.getMainLooper()).idle();
            ScrollView scroll = (ScrollView) ((android.view.ViewGroup) activity.findViewById(android.R.id.content)).getChildAt(0);
            LinearLayout col = (LinearLayout) scroll.getChildAt(0);
            pick = (Button) col.getChildAt(0);
            status = (TextView) col.getChildAt(1);
            if (status.getText().toString().startsWith("No model")) break;
            Thread.sleep(20);
        }
        assertTrue(status.getText().toString(), status.getText().toString().contains("No model in assets"));
        assertFalse(pick.isEnabled());
        controller.pause().stop().destroy();
    }

    @Test
    public void loadAssetNamesTheMissingAsset() {
        IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
                () -> PoreScope.loadAsset(org.robolectric.RuntimeEnvironment.getApplication(), "porescope-default.onnx"));
        assertTrue(e.getMessage(), e.getMessage().contains("no asset named porescope-default.onnx"));
    }
}
