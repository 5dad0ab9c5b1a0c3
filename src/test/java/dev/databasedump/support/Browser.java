package dev.databasedump.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's Chromium (Debian's chromium and chromium-driver, which .ci/run installs), headless, driven by Selenium:
 * a real browser for the console's tests. Nothing is downloaded (Selenium Manager is never asked: the driver and the
 * browser are named), and Chromium's background traffic is off, as this machine's network is closed.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A new browser with a profile of its own, its window {@code width} pixels wide. */
    public static Browser start(int width) {
        try {
            Path profile = Files.createTempDirectory("chromium-profile");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=" + width + ",1000", "--user-data-dir=" + profile);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), profile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    /** The console's shadow root, where everything it draws is. */
    public SearchContext console() {
        WebElement host = waitFor(() -> driver.findElement(By.cssSelector("database-dump-console")));
        return waitFor(host::getShadowRoot);
    }

    /** The first element of the console matching {@code css}, once there and shown. */
    public WebElement find(String css) {
        return waitFor(() -> {
            WebElement element = console().findElement(By.cssSelector(css));
            return element.isDisplayed() ? element : null;
        });
    }

    /** Every element of the console matching {@code css} now. */
    public List<WebElement> findAll(String css) {
        return console().findElements(By.cssSelector(css));
    }

    /** Waits up to 30 s for {@code condition} to give a value other than null or false. */
    public <T> T waitFor(java.util.function.Supplier<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(RuntimeException.class)
                .until(d -> {
                    T value = condition.get();
                    return Boolean.FALSE.equals(value) ? null : value;
                });
    }

    /** Runs a script in the page. */
    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * What the browser's console got that was a warning or worse since the last call, but the API's refusals with one
     * of {@code expected} statuses (a 409 the test provoked, say), which Chromium logs of any request itself.
     */
    public List<String> consoleProblems(int... expected) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> java.util.Arrays.stream(expected).noneMatch(status -> message.matches(
                        ".*/api/database-dump.* Failed to load resource: the server responded with a status of "
                                + status + " .*")))
                .toList();
    }

    /** Leaves whatever page was open (so nothing of it runs on) and forgets what the console got so far. */
    public void reset() {
        driver.get("about:blank");
        driver.manage().logs().get(LogType.BROWSER);
    }

    /** A picture of the page, as PNG. */
    public byte[] screenshot() {
        return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    }

    /** The screen's width in CSS pixels, for a test of narrow screens. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    public Map<String, Object> capabilities() {
        return driver.getCapabilities().asMap();
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary profile
        }
    }
}
