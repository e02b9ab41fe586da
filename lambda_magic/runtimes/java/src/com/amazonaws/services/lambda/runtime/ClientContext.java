package com.amazonaws.services.lambda.runtime;

import java.util.Map;

/** What a mobile caller says about its application and device. */
public interface ClientContext {

    /** The calling application. */
    Client getClient();

    /** Values the caller set freely. */
    Map<String, String> getCustom();

    /** The caller's environment (platform, make, model, locale, ...). */
    Map<String, String> getEnvironment();
}
