package dev.porescope.torch.nativ;

/**
 * A failure inside libtorch, with what PoreScope was doing and the first line of libtorch's
 * message; the whole message (the TorchScript interpreter puts the cause below the first line)
 * is kept in {@link #nativeMessage()} and logged.
 */
public final class TorchException extends RuntimeException {
    private final String nativeMessage;

    public TorchException(String doing, Throwable cause) {
        super(doing + ": " + firstLine(cause), cause);
        this.nativeMessage = String.valueOf(cause.getMessage());
    }

    public String nativeMessage() { return nativeMessage; }

    private static String firstLine(Throwable cause) {
        String m = String.valueOf(cause.getMessage()).strip();
        // libtorch's own first line is often a generic header; keep the first meaningful one
        for (String line : m.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("Exception raised from") && !s.equals("The following operation failed in the TorchScript interpreter.")) {
                return s;
            }
        }
        return m;
    }
}
