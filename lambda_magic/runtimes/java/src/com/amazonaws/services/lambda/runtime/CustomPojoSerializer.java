package com.amazonaws.services.lambda.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;

/**
 * A serializer of the function's own that replaces the runtime's JSON conversion of events and
 * results. Declare one implementation in
 * {@code META-INF/services/com.amazonaws.services.lambda.runtime.CustomPojoSerializer}.
 */
public interface CustomPojoSerializer {

    /** Read a value of {@code type} from JSON bytes. */
    <T> T fromJson(InputStream input, Type type);

    /** Read a value of {@code type} from a JSON string. */
    <T> T fromJson(String input, Type type);

    /** Write {@code value}, declared as {@code type}, as JSON. */
    <T> void toJson(T value, OutputStream output, Type type);
}
