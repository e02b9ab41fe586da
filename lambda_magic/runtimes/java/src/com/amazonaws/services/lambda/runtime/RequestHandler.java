package com.amazonaws.services.lambda.runtime;

/**
 * A handler whose event is converted from JSON to {@code I} and whose result of type {@code O}
 * is converted back to JSON.
 *
 * @param <I> the event's type
 * @param <O> the result's type
 */
public interface RequestHandler<I, O> {

    /** Handle one event. */
    O handleRequest(I input, Context context);
}
