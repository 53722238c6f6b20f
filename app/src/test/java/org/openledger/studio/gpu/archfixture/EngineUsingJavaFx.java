package org.openledger.studio.gpu.archfixture;

import com.sun.net.httpserver.HttpServer;
import javafx.beans.property.SimpleStringProperty;

/** Breaks two layering rules on purpose: an engine class that uses JavaFX and an HTTP server. Test-only. */
public final class EngineUsingJavaFx {

    public Object status() {
        return new SimpleStringProperty("engines must not do this");
    }

    public Class<?> server() {
        return HttpServer.class;
    }
}
