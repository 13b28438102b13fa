package io.vigil.health.checks;

import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;

/** One OSHI hardware layer for all checks, created on first use (it probes the platform once). */
final class OshiHardware {

    private OshiHardware() {
    }

    static HardwareAbstractionLayer get() {
        return Holder.HARDWARE;
    }

    private static final class Holder {
        static final HardwareAbstractionLayer HARDWARE = new SystemInfo().getHardware();
    }
}
