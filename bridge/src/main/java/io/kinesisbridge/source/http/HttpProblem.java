package io.kinesisbridge.source.http;

/** A request the HTTP source refuses, with the status to answer and a message for the client. */
public final class HttpProblem extends RuntimeException {

    private final int status;

    public HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
