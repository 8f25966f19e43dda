package dev.porescope.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code porescope bench ...}: speed measurements (medians and ratios), never part of the tests. */
@Command(name = "bench", sortOptions = false, subcommands = {BenchTrainCommand.class, BenchInferCommand.class, BenchServeCommand.class},
        description = "Measure speed: 'bench train' (training step and server inference, Java vs PyTorch-Python),"
                + " 'bench batch' (photos per second, analyze against Apache Spark; through bin/porescope),"
                + " 'bench infer' (inference latency, throughput and memory of server and phone models),"
                + " 'bench serve' (photos/s, latency and memory of porescope serve under concurrent clients, beside analyze).")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("porescope: give a benchmark; the benchmarks are:");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
