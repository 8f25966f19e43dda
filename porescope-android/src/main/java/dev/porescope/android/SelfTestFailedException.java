package dev.porescope.android;

/** This phone does not compute what the server computed (see {@link SelfTestResult#message()}). */
public final class SelfTestFailedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient SelfTestResult result;

    SelfTestFailedException(SelfTestResult result) {
        super(result.message());
        this.result = result;
    }

    public SelfTestResult result() { return result; }
}
