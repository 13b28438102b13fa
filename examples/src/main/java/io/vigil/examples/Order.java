package io.vigil.examples;

import java.util.UUID;

/** One order as the service stores and returns it. */
record Order(UUID id, String item, int quantity) {

    /** The JSON body the API returns and the cache holds; {@code item} is validated to need no escaping. */
    String toJson() {
        return "{\"id\":\"" + id + "\",\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
    }
}
