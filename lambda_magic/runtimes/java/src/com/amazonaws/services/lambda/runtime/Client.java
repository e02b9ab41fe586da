package com.amazonaws.services.lambda.runtime;

/** The application that invoked the function through the AWS Mobile SDK. */
public interface Client {

    /** The installation id of the application. */
    String getInstallationId();

    /** The application's title. */
    String getAppTitle();

    /** The application's version name. */
    String getAppVersionName();

    /** The application's version code. */
    String getAppVersionCode();

    /** The application's package name. */
    String getAppPackageName();
}
