package dev.porescope.cli.commands;

import dev.porescope.cli.support.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code porescope batch} in the command list. The command itself lives in the porescope-spark
 * module (Apache Spark is too big for every command's class path): {@code bin/porescope batch}
 * runs that module, which replaces this entry; reaching this one means Spark is not on the class path.
 */
@Command(name = "batch", description = "Analyse a photo archive on Apache Spark (any Hadoop path, glob, recursive) into"
        + " Parquet tables of photos and pores, incrementally. Runs from the porescope-spark module: see"
        + " 'bin/porescope batch --help'.")
public final class BatchPlaceholder implements Callable<Integer> {
    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserException("batch runs on Apache Spark from the porescope-spark module, which is not on this"
                + " class path; run it as 'bin/porescope batch ...' (it builds that module) or with spark-submit"
                + " and porescope-spark-*-all.jar (README, 'Batch analysis on Apache Spark')");
    }
}
