package dev.porescope.cli.analyze;

import dev.porescope.cli.report.PoreTable;
import dev.porescope.cli.support.Messages;
import dev.porescope.core.face.ZoneFigures;
import dev.porescope.core.pores.PoreSummary;

import java.util.List;
import java.util.Locale;

/**
 * One row per photo of a batch: its pores in numbers, or why it failed; then, for a photo analysed
 * in face zones, one row per zone (column {@code zone}; the photo's own row has zone {@code all}).
 */
public final class SummaryTable {
    private SummaryTable() { }

    public static final String HEADER = "photo,status,width,height,pores,roi_px,pores_per_100x100_px,pores_per_cm2,"
            + "mean_area,median_area,area_unit,pore_fraction,seconds,error,zone,pore_score";

    public static String csv(List<Outcome> outcomes) {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (Outcome o : outcomes) {
            s.append(row(o)).append('\n');
            if (o.failure() == null) {
                for (ZoneFigures z : o.result().zoneFigures()) s.append(zoneRow(o, z)).append('\n');
            }
        }
        return s.toString();
    }

    static String row(Outcome o) {
        if (o.failure() != null) {
            return quote(o.photo().toString()) + ",failed,,,,,,,,,,,," + quote(Messages.message(o.failure())) + ",,";
        }
        PoreSummary s = o.result().summary();
        return String.join(",", quote(o.photo().toString()), "ok", Integer.toString(o.result().width()),
                Integer.toString(o.result().height()), Integer.toString(s.count()), Long.toString(s.roiPixels()),
                PoreTable.num(s.per100x100()), s.perCm2() == null ? "" : PoreTable.num(s.perCm2()),
                PoreTable.num(s.meanArea()), PoreTable.num(s.medianArea()), s.areaUnit(),
                PoreTable.num(s.poreFraction()), PoreTable.num(o.result().timingsMs().get("total") / 1000), "",
                o.result().zones() == null ? "" : "all", "");
    }

    static String zoneRow(Outcome o, ZoneFigures z) {
        PoreSummary s = z.summary();
        return String.join(",", quote(o.photo().toString()), "ok", Integer.toString(o.result().width()),
                Integer.toString(o.result().height()), Integer.toString(s.count()), Long.toString(s.roiPixels()),
                PoreTable.num(s.per100x100()), s.perCm2() == null ? "" : PoreTable.num(s.perCm2()),
                PoreTable.num(s.meanArea()), PoreTable.num(s.medianArea()), s.areaUnit(),
                PoreTable.num(s.poreFraction()), "", "", z.name(), PoreTable.num(z.score()));
    }

    /** A short human line for a photo. */
    public static String line(Outcome o) {
        if (o.failure() != null) return o.photo() + ": failed: " + Messages.message(o.failure());
        PoreSummary s = o.result().summary();
        return String.format(Locale.ROOT, "%s: %d pores, %.2f per 100x100 px, median area %.4g %s",
                o.photo(), s.count(), s.per100x100(), s.medianArea(), s.areaUnit());
    }

    /** RFC 4180 quoting when needed. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0) return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
