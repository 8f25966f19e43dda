package dev.porescope.core.baseline;

import dev.porescope.core.image.Plane;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.RuntimeModel;
import dev.porescope.core.preprocess.Gaussian;
import dev.porescope.core.preprocess.Preprocessing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The classical baseline: a difference-of-Gaussians dark-blob detector. On the preprocessed luma
 * (by default standardised; the card may add flattening) the response
 * {@code blur(sigma2) - blur(sigma1)} is positive where a blob of about sigma1 is darker than its
 * surround of about sigma2. A logistic maps it to a probability,
 * {@code 1 / (1 + exp(-(response - offset) / slope))}, so that probability 0.5 (the card's threshold)
 * is the fitted response threshold {@code offset}. Pure Java, thread-safe, no native resources; on
 * the runtime base for the one contract (tile checks, a closed model refuses work), with its own
 * geometry: the wider blur's radius as margin, any tile size.
 */
public final class DogModel extends RuntimeModel {
    public static final String RUNTIME = "dog";

    /**
     * Preprocessing of the baseline: per-image standardisation (on the real photo, flattening the
     * light first fitted about 0.01 Dice worse).
     */
    public static final Preprocessing PREPROCESSING = Preprocessing.standard();

    private final double sigma1;
    private final double sigma2;
    private final double offset;
    private final double slope;

    /**
     * @param sigma1        centre scale (px), smaller than {@code sigma2}
     * @param sigma2        surround scale (px)
     * @param offset        response at which the probability is 0.5
     * @param slope         response change from probability 0.5 to 0.73 (> 0)
     * @param preprocessing applied to the photo before the model (goes into the card)
     * @param minArea       smallest pore kept (goes into the card)
     * @param validation    metrics to record in the card (may be empty)
     */
    public DogModel(double sigma1, double sigma2, double offset, double slope, Preprocessing preprocessing,
                    int minArea, Map<String, Double> validation) {
        this(sigma1, sigma2, offset, slope, card(sigma1, sigma2, offset, slope, preprocessing, minArea, validation));
    }

    private DogModel(double sigma1, double sigma2, double offset, double slope, ModelCard card) {
        // margin: the wider blur's kernel radius, beyond which the input does not reach an output pixel
        super(card, card.name() == null ? RUNTIME : card.name(), "DoG", Gaussian.kernel(sigma2).length / 2, 1);
        this.sigma1 = sigma1;
        this.sigma2 = sigma2;
        this.offset = offset;
        this.slope = slope;
    }

    /** The card of a DoG model, after checking its parameters (before the base computes the margin from sigma2). */
    private static ModelCard card(double sigma1, double sigma2, double offset, double slope, Preprocessing preprocessing,
                                  int minArea, Map<String, Double> validation) {
        if (!(sigma1 > 0) || !(sigma2 > sigma1)) {
            throw new IllegalArgumentException("DoG needs 0 < sigma1 < sigma2, got " + sigma1 + " and " + sigma2);
        }
        if (!(slope > 0) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("DoG needs a finite offset and slope > 0, got " + offset + ", " + slope);
        }
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("sigma1", num(sigma1));
        extra.put("sigma2", num(sigma2));
        extra.put("offset", num(offset));
        extra.put("slope", num(slope));
        return new ModelCard(ModelCard.FORMAT, "dog", null, preprocessing, 0.5, Math.max(1, minArea), RUNTIME,
                "fp32", null, 0, 0, Map.copyOf(validation), Map.of(), List.of(), Map.copyOf(extra));
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    /**
     * Sigma 1.5 and 3 px with the response threshold and minimum area that {@link DogFit} finds on
     * the real labelled photo ({@code real-left}: pixel Dice 0.501, pore F1 0.711 there); use
     * {@link DogFit#fit} for other data.
     */
    public static DogModel defaults() {
        return new DogModel(1.5, 3, DEFAULT_OFFSET, DEFAULT_SLOPE, PREPROCESSING, DEFAULT_MIN_AREA, Map.of());
    }

    static final double DEFAULT_OFFSET = 0.053;
    static final double DEFAULT_SLOPE = 0.01;
    static final int DEFAULT_MIN_AREA = 4;

    /** The model a DoG card describes (runtime "dog", parameters in {@code extra}). */
    public static DogModel fromCard(ModelCard card) {
        if (!RUNTIME.equals(card.runtime())) {
            throw new IllegalArgumentException("not a DoG model card: runtime is '" + card.runtime() + "'");
        }
        Map<String, String> extra = card.extra() == null ? Map.of() : card.extra();
        double[] v = new double[4];
        String[] keys = {"sigma1", "sigma2", "offset", "slope"};
        for (int i = 0; i < keys.length; i++) {
            String s = extra.get(keys[i]);
            if (s == null) throw new IllegalArgumentException("DoG model card lacks extra." + keys[i]);
            try {
                v[i] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DoG model card: extra." + keys[i] + " = '" + s + "' is not a number");
            }
        }
        DogModel m = new DogModel(v[0], v[1], v[2], v[3],
                card.preprocessing() == null ? Preprocessing.identity() : card.preprocessing(),
                card.minArea(), card.validation() == null ? Map.of() : card.validation());
        return m.withCard(card);
    }

    /** Same model, another card (e.g. with another threshold). */
    public DogModel withCard(ModelCard newCard) {
        return new DogModel(sigma1, sigma2, offset, slope, newCard);
    }

    public double sigma1() { return sigma1; }
    public double sigma2() { return sigma2; }
    public double offset() { return offset; }
    public double slope() { return slope; }

    /** {@code blur(sigma2) - blur(sigma1)} of an already preprocessed plane. */
    public static Plane response(Plane input, double sigma1, double sigma2) {
        Plane centre = Gaussian.blur(input, sigma1);
        Plane surround = Gaussian.blur(input, sigma2);
        float[] c = centre.values();
        float[] s = surround.values();
        for (int i = 0; i < s.length; i++) s[i] -= c[i];
        return surround;
    }

    @Override
    protected Plane run(Plane tile) {
        Plane r = response(tile, sigma1, sigma2);
        float[] v = r.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (1 / (1 + Math.exp(-(v[i] - offset) / slope)));
        }
        return r;
    }

    /** Nothing native to free. */
    @Override
    protected void release() { }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "DoG(sigma %.2f/%.2f, offset %.4f, slope %.4f, minArea %d)",
                sigma1, sigma2, offset, slope, card().minArea());
    }
}
