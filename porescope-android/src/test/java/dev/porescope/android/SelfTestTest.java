package dev.porescope.android;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.porescope.core.image.Plane;
import dev.porescope.core.json.FloatCodec;
import dev.porescope.core.model.ModelCard;

import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.Test;

public class SelfTestTest {

    private static SelfTestResult selfTest(String precision, UnaryOperator<Plane> phone) {
        ModelCard card = TestModels.card("onnx", precision, TestModels.golden(TestModels::sigmoid, 7, 16, 24));
        return SelfTest.run(new TestModels.FakeModel(card, phone));
    }

    private static UnaryOperator<Plane> shifted(float delta) {
        return tile -> {
            Plane p = TestModels.sigmoid(tile);
            float[] v = p.values();
            for (int i = 0; i < v.length; i++) v[i] += delta;
            return p;
        };
    }

    @Test
    public void aRuntimeComputingTheServersFunctionPasses() {
        SelfTestResult result = selfTest("fp32", TestModels::sigmoid);
        assertTrue(result.message(), result.passed());
        assertEquals(2, result.pairs());
        assertEquals(0, result.maxAbsDifference(), 0);
        assertEquals(1, result.minMaskDice(), 0);
        assertTrue(result.message().startsWith("Self-test passed"));
        assertEquals(result, result.orThrow());
    }

    @Test
    public void fp32AllowsOnlyRoundingDifferences() {
        assertTrue(selfTest("fp32", shifted(5e-5f)).passed());
        SelfTestResult result = selfTest("fp32", shifted(1e-3f));
        assertEquals(SelfTestResult.Status.FAILED, result.status());
        assertEquals(1e-3, result.maxAbsDifference(), 1e-5);
        assertTrue(result.message(), result.message().contains("FAILED"));
        SelfTestFailedException e = assertThrows(SelfTestFailedException.class, result::orThrow);
        assertEquals(result.message(), e.getMessage());
    }

    @Test
    public void int8AllowsLargerDifferencesWhileTheMasksAgree() {
        // every probability 0.05 too high: masks barely change, which int8 accepts and fp32 does not
        assertTrue(selfTest("int8", shifted(0.05f)).passed());
        assertFalse(selfTest("fp32", shifted(0.05f)).passed());
        assertFalse(selfTest("int8", shifted(0.3f)).passed());
    }

    @Test
    public void maskDiceIsTwiceTheOverlapOverTheSum() {
        // server: the 10 pixels of row 0 are pores (prob 0.9); phone finds 8 of them and 2 false ones
        int w = 10;
        float[] input = new float[w * w];
        float[] server = new float[w * w];
        float[] phone = new float[w * w];
        for (int x = 0; x < w; x++) server[x] = 0.9f;
        System.arraycopy(server, 0, phone, 0, 8);
        phone[50] = 0.9f;
        phone[51] = 0.9f;
        ModelCard card = TestModels.card("onnx", "int8", Collections.singletonList(
                new ModelCard.GoldenPair(w, w, FloatCodec.encode(input), FloatCodec.encode(server))));
        SelfTestResult result = SelfTest.run(new TestModels.FakeModel(card, tile -> new Plane(w, w, phone.clone())));
        assertEquals(2.0 * 8 / (10 + 10), result.minMaskDice(), 1e-12);
        assertEquals(0.9, result.maxAbsDifference(), 1e-6);
        assertFalse(result.passed());
    }

    @Test
    public void aModelWithoutGoldenPairsSaysSo() {
        SelfTestResult result = SelfTest.run(new TestModels.FakeModel(
                TestModels.card("onnx", "fp32", List.of()), TestModels::sigmoid));
        assertEquals(SelfTestResult.Status.NOT_AVAILABLE, result.status());
        assertTrue(result.message().contains("no golden"));
        assertThrows(SelfTestFailedException.class, result::orThrow);
    }

    @Test
    public void aRuntimeThatThrowsIsAFailedSelfTestNotACrash() {
        SelfTestResult result = selfTest("fp32", tile -> {
            throw new IllegalStateException("out of memory in the delegate");
        });
        assertEquals(SelfTestResult.Status.FAILED, result.status());
        assertTrue(result.message(), result.message().contains("out of memory in the delegate"));
    }

    @Test
    public void aMalformedGoldenPairIsReported() {
        ModelCard card = TestModels.card("onnx", "fp32", Collections.singletonList(
                new ModelCard.GoldenPair(4, 4, "not base64!", "AAAA")));
        SelfTestResult result = SelfTest.run(new TestModels.FakeModel(card, TestModels::sigmoid));
        assertEquals(SelfTestResult.Status.FAILED, result.status());
        assertTrue(result.message(), result.message().contains("malformed"));
    }
}
