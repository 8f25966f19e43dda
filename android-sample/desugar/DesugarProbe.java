import dev.porescope.core.baseline.DogModel;
import dev.porescope.core.image.Plane;
import dev.porescope.core.json.Json;
import dev.porescope.core.model.ModelCard;
import dev.porescope.core.model.SegmentationModel;
import dev.porescope.core.pipeline.PoreAnalyzer;
import dev.porescope.core.synth.SkinSynthesizer;
import dev.porescope.core.synth.SynthConfig;
import dev.porescope.core.synth.SyntheticPhoto;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What the phone's porescope-core does, printed so that two runs can be compared byte for byte:
 * read the model card inside a .ptl (Jackson on core's records), then analyse a synthetic photo with
 * that card's preprocessing, threshold and minimum pore size (the network replaced by core's DoG
 * response, the pure-Java model). android-sample/desugar-check.sh runs it on porescope-core as
 * compiled and after D8 desugaring (classfile output), on the JVM.
 *
 *   java -cp CORE_AND_JACKSON:. DesugarProbe MODEL.ptl
 */
public final class DesugarProbe {
    public static void main(String[] args) throws Exception {
        String json = null;
        try (ZipFile zip = new ZipFile(args[0])) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().endsWith("/extra/" + ModelCard.FILE_NAME)) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        if (json == null) throw new IllegalArgumentException(args[0] + " has no model card");
        ModelCard card = Json.readCard(json);
        System.out.println("card " + Json.writeCard(card));
        System.err.println("ModelCard's superclass: " + ModelCard.class.getSuperclass().getName());

        SyntheticPhoto photo = new SkinSynthesizer(SynthConfig.defaults(160, 128)).generate("probe", 7);
        DogModel dog = DogModel.defaults();
        SegmentationModel withCard = new SegmentationModel() {
            @Override public Plane predict(Plane tile) { return dog.predict(tile); }
            @Override public int margin() { return dog.margin(); }
            @Override public ModelCard card() { return card; }
        };
        PoreAnalyzer.Analysis a = new PoreAnalyzer(withCard).withPixelSizeUm(20.0).analyze(photo.luma(), null);
        System.out.println("probability " + Arrays.hashCode(a.probability().values()));
        System.out.println("mask " + a.poreMask().count() + " " + a.poreMask().hashCode());
        System.out.println("pores " + a.pores());
        System.out.println("summary " + a.summary());
    }
}
