package io.vigil.core.alert;

import java.util.SortedMap;

/** An aggregation group's identity: the route node (by identity) and the group labels. */
record GroupId(RouteNode route, SortedMap<String, String> labels) {

    @Override
    public boolean equals(Object other) {
        return other instanceof GroupId that && route == that.route && labels.equals(that.labels);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(route) * 31 + labels.hashCode();
    }
}
