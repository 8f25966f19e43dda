package dev.porescope.core.testing.cycle.a;

import dev.porescope.core.testing.cycle.Egg;

/** Half of a deliberate package cycle: {@code PackageCyclesTest} shows the rule catches it. */
public final class Chicken {
    public Egg lay() {
        return new Egg();
    }
}
