package dev.porescope.cli.commands;

import dev.porescope.cli.ImageOptions;
import dev.porescope.cli.ModelLoader;
import dev.porescope.cli.UserException;
import dev.porescope.cli.io.DataFolder;
import dev.porescope.core.data.LabelledImage;
import dev.porescope.core.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code porescope eval}: scores a model on labelled data folders. */
@Command(name = "eval", sortOptions = false,
        description = "Score a model on labelled data folders: pooled pixel Dice, IoU, precision, recall"
                + " and pore precision/recall/F1, inside each photo's ROI.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "dog (difference-of-Gaussians baseline), dog-fit (DoG fitted on the data first), or a model file.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Data folder: images/NAME.png|jpg, masks/NAME.png (255 = pore), optional roi/NAME.png. Repeatable.")
    List<Path> data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the scores, with one row per photo, as JSON.")
    Path json;

    @Option(names = "--fit", description = "Fit the DoG's sigmas and threshold on the data before scoring (same as --model dog-fit).")
    boolean fit;

    @Mixin
    ImageOptions images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String modelName = fit ? fitName(model) : model;
        ModelLoader.check(modelName);
        List<LabelledImage> photos = new ArrayList<>();
        for (Path dir : data) {
            photos.addAll(DataFolder.load(dir, images.files()));
        }
        err.println("porescope: scoring " + modelName + " on " + photos.size() + " photo" + (photos.size() == 1 ? "" : "s"));
        try (SegmentationModel segmentation = ModelLoader.load(modelName, () -> photos)) {
            throw new UserException("eval is waiting for branch core's Evaluator");
        }
    }

    private static String fitName(String model) {
        if (model.equals("dog") || model.equals("dog-fit")) return "dog-fit";
        throw new UserException("--fit works with --model dog only, not '" + model + "'; drop --fit for trained models");
    }
}
