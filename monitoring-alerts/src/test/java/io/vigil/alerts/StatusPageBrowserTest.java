package io.vigil.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The status page in a real headless Chromium (Debian's {@code chromium} driven through its {@code chromedriver} by
 * Selenium): the incident the test caused renders with its root, symptoms and escalation level, the hostile label
 * stays text, the styles pass the page's Content-Security-Policy, and the Acknowledge button acknowledges the
 * incident (page and API agree). Screenshots go to {@code target/status-page*.png}.
 */
class StatusPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void pageRendersTheIncidentAndItsButtonAcknowledgesIt(@TempDir Path state) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed: apt-get install chromium chromium-driver");
        Path target = Path.of("target");
        Path profile = Files.createTempDirectory(Files.createDirectories(target), "chromium-profile-");
        try (StatusPageFixture service = new StatusPageFixture(state, null)) {
            service.causeIncident();
            ChromeDriverService driverService = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                    .withLogFile(target.resolve("chromedriver.log").toFile()).build();
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,860", "--user-data-dir=" + profile.toAbsolutePath());
            ChromeDriver browser = new ChromeDriver(driverService, options);
            try {
                browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
                browser.get(service.api.url() + "/");

                assertThat(browser.getTitle()).isEqualTo("Vigil status");
                assertThat(browser.findElement(By.id("summary")).getText())
                        .isEqualTo("1 open incident, 2 firing alerts");
                WebElement incident = browser.findElement(By.cssSelector("article.incident"));
                assertThat(incident.findElement(By.tagName("h3")).getText()).startsWith("PostgresDown");
                assertThat(incident.findElement(By.className("root")).getText())
                        .contains("service=\"orders-db\"", "orders-db does not answer");
                List<WebElement> symptoms = incident.findElements(By.cssSelector("ul.symptoms li"));
                assertThat(symptoms).hasSize(1);
                assertThat(symptoms.get(0).getText()).contains("alertname=\"HighErrorRate\"", "service=\"orders\"",
                        "5% of requests fail <b>now</b>");
                assertThat(incident.findElement(By.className("escalation")).getText())
                        .isEqualTo("Escalation level: 0 · notifications: 1");
                // The hostile label is on screen as the text it is; none of its markup became an element.
                assertThat(symptoms.get(0).getText()).contains(StatusPageFixture.HOSTILE);
                assertThat(browser.findElements(By.id("pwned"))).isEmpty();
                assertThat(browser.findElements(By.tagName("script"))).isEmpty();
                WebElement health = browser.findElement(By.id("health"));
                assertThat(health.findElement(By.cssSelector("tr[data-check=db] .badge")).getText()).isEqualTo("UP");
                assertThat(health.findElement(By.cssSelector("tr[data-check=cache] .badge")).getText())
                        .isEqualTo("DOWN");
                // The stylesheet ran under the CSP's hash: a DOWN badge is red, not the unstyled default.
                assertThat(health.findElement(By.cssSelector("tr[data-check=cache] .badge")).getCssValue(
                        "background-color")).isEqualTo("rgba(201, 48, 44, 1)");
                assertThat(browser.findElements(By.cssSelector("#alerts tbody tr"))).hasSize(2);
                screenshot(browser, target.resolve("status-page.png"));

                incident.findElement(By.name("by")).sendKeys("alice");
                incident.findElement(By.tagName("button")).click();

                WebElement acknowledged = browser.findElement(By.cssSelector("article.incident.acknowledged"));
                assertThat(acknowledged.findElement(By.className("ack")).getText())
                        .startsWith("acknowledged by alice at ");
                assertThat(acknowledged.findElements(By.tagName("form"))).isEmpty();
                assertThat(browser.getCurrentUrl()).isEqualTo(service.api.url() + "/");
                screenshot(browser, target.resolve("status-page-acknowledged.png"));
            } finally {
                browser.quit();
            }
            service.manager.tick();   // the AlertManager applies acknowledgements on its tick
            JsonNode api = AlertsServletTest.json(service.api.get("/api/vigil/incidents")).get(0);
            assertThat(api.path("acknowledged").asBoolean()).isTrue();
            assertThat(api.path("acknowledgedBy").asText()).isEqualTo("alice");
            assertThat(api.path("escalation").get(0).path("acknowledged").asBoolean()).isTrue();
        }
    }

    private static void screenshot(ChromeDriver browser, Path file) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }
}
