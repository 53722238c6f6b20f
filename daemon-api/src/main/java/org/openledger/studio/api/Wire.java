package org.openledger.studio.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON conventions of the wire: snake_case names (as OpenAI's API), nulls left out, unknown fields tolerated. */
public final class Wire {

    /** Version of the HTTP API this build speaks; bumped on incompatible changes. */
    public static final String API_VERSION = "1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Wire() {
    }

    /** A shared, thread-safe mapper configured for the wire. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
