package dev.porescope.torch.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porescope.core.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The training curves: one row per logged step, written as CSV and JSON. */
public final class TrainLog {
    /**
     * @param step      steps done
     * @param loss      mean training loss since the previous row
     * @param lr        learning rate of the last step
     * @param valDice   validation pixel Dice (NaN when not validated at this row)
     * @param valPoreF1 validation pore F1 (NaN when not validated)
     * @param threshold threshold chosen on validation (NaN when not validated)
     * @param seconds   training time so far
     */
    public record Row(int step, double loss, double lr, double valDice, double valPoreF1, double threshold, double seconds) { }

    private final List<Row> rows = new ArrayList<>();

    public synchronized void add(Row row) { rows.add(row); }

    public synchronized List<Row> rows() { return List.copyOf(rows); }

    synchronized void replace(List<Row> restored) {
        rows.clear();
        rows.addAll(restored);
    }

    /** Rows of steps up to {@code step} (what a resumed run keeps). */
    synchronized void truncate(int step) {
        rows.removeIf(r -> r.step() > step);
    }

    public void writeCsv(Path file) {
        StringBuilder s = new StringBuilder("step,loss,lr,val_dice,val_pore_f1,threshold,seconds\n");
        for (Row r : rows()) {
            s.append(String.format(Locale.ROOT, "%d,%.6f,%.6g,%s,%s,%s,%.1f%n", r.step(), r.loss(), r.lr(),
                    num(r.valDice()), num(r.valPoreF1()), num(r.threshold()), r.seconds()));
        }
        AtomicFiles.writeString(file, s.toString());
    }

    public void writeJson(Path file) {
        try {
            List<java.util.Map<String, Object>> out = new ArrayList<>();
            for (Row r : rows()) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("step", r.step());
                m.put("loss", r.loss());
                m.put("lr", r.lr());
                m.put("val_dice", Double.isNaN(r.valDice()) ? null : r.valDice());
                m.put("val_pore_f1", Double.isNaN(r.valPoreF1()) ? null : r.valPoreF1());
                m.put("threshold", Double.isNaN(r.threshold()) ? null : r.threshold());
                m.put("seconds", r.seconds());
                out.add(m);
            }
            AtomicFiles.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.5f", v);
    }
}
