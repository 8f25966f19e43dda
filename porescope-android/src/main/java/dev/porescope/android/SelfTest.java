package dev.porescope.android;

import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.parity.Golden;

/**
 * The phone's self-test: core's {@link Golden#check} (the same check every runtime makes when it
 * loads a file, and the one exporters report), as a {@link SelfTestResult}.
 */
final class SelfTest {
    private SelfTest() { }

    static SelfTestResult run(SegmentationModel model) {
        return new SelfTestResult(Golden.check(model));
    }
}
