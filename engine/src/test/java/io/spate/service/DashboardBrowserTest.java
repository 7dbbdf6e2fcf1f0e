package io.spate.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through chromium-driver with Selenium, watches
 * a torrent added through the API download from a second daemon and reach 100 %, then pauses and resumes it with the
 * page's buttons. Fails, not skips, when Chromium or its driver is missing (tools/install-deps.sh installs both).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardBrowserTest
{
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";
    /** Kept so the level holds: Selenium warns it has no CDP bindings for Debian's Chromium (none are used). */
    private static final java.util.logging.Logger SELENIUM_LOG =
        java.util.logging.Logger.getLogger("org.openqa.selenium");

    static
    {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @TempDir
    Path tmp;

    @Test
    void aTorrentAddedThroughTheApiReaches100PercentOnTheDashboard() throws Exception
    {
        assertTrue(new File(CHROMIUM).canExecute(), CHROMIUM + " is missing: apt-get install chromium");
        assertTrue(new File(DRIVER).canExecute(), DRIVER + " is missing: apt-get install chromium-driver");
        try (TwoDaemons pair = new TwoDaemons(tmp, 16 << 20))
        {
            pair.startSeeding();
            final WebDriver browser = browser();
            try
            {
                browser.get(pair.leech.base + "/");
                assertEquals("Spate", browser.getTitle());
                assertTrue(until(() -> browser.findElement(By.id("empty")).isDisplayed(), 20), "empty list shown");

                assertEquals(201, pair.leech.postTorrent("/api/torrents?dir=" + pair.leechData, pair.torrent)
                    .statusCode());
                final By row = By.cssSelector("tr[data-hash='" + pair.infoHash + "']");
                assertTrue(until(() -> !browser.findElements(row).isEmpty(), 20), "the torrent's row appears");
                assertTrue(until(() -> text(browser, row, ".pct").equals("100 %"), 90),
                    "progress: " + text(browser, row, ".pct") + ", state: " + text(browser, row, ".state"));
                assertTrue(until(() -> text(browser, row, ".state").equals("seeding"), 20));
                assertEquals("movie.bin", text(browser, row, ".name"));
                assertEquals("16.0 MiB", text(browser, row, ".size"));
                assertEquals("100%", browser.findElement(row).findElement(By.cssSelector(".bar > div"))
                    .getAttribute("style").replaceAll(".*width: *([0-9.]+%).*", "$1"));
                Files.write(Path.of("target", "dashboard.png"), // for a person to look at
                    ((org.openqa.selenium.TakesScreenshot)browser).getScreenshotAs(OutputType.BYTES));

                browser.findElement(row).findElement(By.cssSelector("button.toggle")).click();
                assertTrue(until(() -> text(browser, row, ".state").equals("paused"), 30),
                    text(browser, row, ".state"));
                assertEquals(ManagedTorrent.State.PAUSED, pair.leech.daemon.get(pair.infoHash).state());
                assertEquals("100 %", text(browser, row, ".pct"), "a paused torrent keeps its progress");
                browser.findElement(row).findElement(By.cssSelector("button.toggle")).click();
                assertTrue(until(() -> text(browser, row, ".state").equals("seeding"), 30),
                    text(browser, row, ".state"));
            }
            finally
            {
                browser.quit();
            }
        }
    }

    /** Headless Chromium as root: no sandbox, no GPU, nothing fetched in the background, a fresh profile. */
    private WebDriver browser() throws Exception
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            "--window-size=1280,800", "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")));
        // the driver is named, so Selenium Manager never looks for (or downloads) one
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static String text(final WebDriver browser, final By row, final String cell)
    {
        try
        {
            final List<WebElement> rows = browser.findElements(row);
            return rows.isEmpty() ? "(no row)" : rows.get(0).findElement(By.cssSelector(cell)).getText();
        }
        catch (final org.openqa.selenium.StaleElementReferenceException ex)
        {
            return "(redrawn)";
        }
    }

    private static boolean until(final Supplier<Boolean> condition, final int seconds) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline)
        {
            if (condition.get())
            {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.get();
    }
}
