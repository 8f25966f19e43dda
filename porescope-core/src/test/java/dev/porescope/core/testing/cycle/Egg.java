package dev.porescope.core.testing.cycle;

import dev.porescope.core.testing.cycle.a.Chicken;

/** The other half of the deliberate cycle, one package up (cycle -> cycle.a -> cycle), as Main and its commands once were. */
public final class Egg {
    public Chicken hatch() {
        return new Chicken();
    }
}
