package dev.porescope.torch.train;

/** Training cannot go on (the loss became NaN, a checkpoint does not fit the run); the message says what to do. */
public final class TrainingException extends RuntimeException {
    public TrainingException(String message) { super(message); }

    public TrainingException(String message, Throwable cause) { super(message, cause); }
}
