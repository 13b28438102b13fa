package io.vigil.health.checks;

import io.vigil.core.health.HealthCheck;
import io.vigil.core.health.HealthResult;
import io.vigil.core.health.HealthStatus;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usable space on the file system of each configured path, against a ratio and a byte limit each for
 * DEGRADED and DOWN. A path whose file system cannot be read is DOWN: the application cannot write there.
 */
final class DiskCheck implements HealthCheck {

    private final List<Path> paths;
    private final Threshold freeRatio;
    private final Threshold freeBytes;

    DiskCheck(List<Path> paths, Threshold freeRatio, Threshold freeBytes) {
        this.paths = List.copyOf(paths);
        this.freeRatio = freeRatio;
        this.freeBytes = freeBytes;
    }

    @Override
    public HealthResult check() {
        HealthStatus status = HealthStatus.UP;
        HealthResult.Builder result = HealthResult.builder(HealthStatus.UP);
        for (Path path : paths) {
            Map<String, Object> detail = new LinkedHashMap<>();
            HealthStatus pathStatus;
            try {
                FileStore store = Files.getFileStore(path);
                long total = store.getTotalSpace();
                long usable = store.getUsableSpace();
                double ratio = total > 0 ? (double) usable / total : Double.NaN;
                pathStatus = freeRatio.evaluate(ratio).worst(freeBytes.evaluate(usable));
                detail.put("freeBytes", usable);
                detail.put("totalBytes", total);
                detail.put("freeRatio", Evaluation.round(ratio));
                if (pathStatus != HealthStatus.UP) {
                    detail.put("limits", "DEGRADED below " + freeRatio.degraded() + " or "
                            + (long) freeBytes.degraded() + " bytes, DOWN below " + freeRatio.down() + " or "
                            + (long) freeBytes.down() + " bytes");
                }
            } catch (IOException | SecurityException error) {
                pathStatus = HealthStatus.DOWN;
                detail.put("error", error.getClass().getName() + ": " + error.getMessage());
            }
            detail.put("status", pathStatus.name());
            result.detail(path.toString(), detail);
            status = status.worst(pathStatus);
        }
        return result.status(status).build();
    }
}
