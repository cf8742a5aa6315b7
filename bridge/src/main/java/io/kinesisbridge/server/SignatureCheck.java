package io.kinesisbridge.server;

/** How far the endpoint checks a request's AWS signature. */
public enum SignatureCheck {
    /** Not at all: any request is served (the default; keep the endpoint on loopback). */
    OFF,
    /**
     * Its structure, as AWS checks it before the signature itself: a request without an {@code Authorization} header
     * (or presigned query) is answered MissingAuthenticationTokenException, one with a SigV4 header lacking a part
     * IncompleteSignatureException. The signature is not verified: no secret is known here.
     */
    STRUCTURE
}
