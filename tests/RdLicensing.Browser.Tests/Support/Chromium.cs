using Microsoft.Playwright;

namespace RdLicensing.Browser.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, one browser for the whole run (an assembly fixture); every test opens its own
/// context. The browser is never downloaded: the executable is RDLIC_CHROMIUM, else /usr/bin/chromium, else chromium
/// on PATH. Without one, tests skip on a developer box and fail under CI=true (test.sh installs Debian's chromium).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] s_arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    /// <summary>The browser; a test that needs it calls <see cref="RequireAsync"/> first.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException(_unavailable ?? "the browser is not started");

    /// <summary>The executable used, for the report.</summary>
    public string? ExecutablePath { get; private set; }

    /// <summary>True when running in CI, where a missing browser is a failure.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async ValueTask InitializeAsync()
    {
        ExecutablePath = Find();
        if (ExecutablePath is null)
        {
            _unavailable = "chromium is not installed (apt-get install chromium, or set RDLIC_CHROMIUM)";
            return;
        }

        // Playwright must never fetch a browser of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = s_arguments, // Playwright gives every launch a fresh, temporary profile (user data directory).
            Timeout = 120_000,
        });
    }

    /// <summary>Skips the test when no browser is installed, except under CI=true, where that fails it.</summary>
    public void Require()
    {
        if (_browser is not null)
        {
            return;
        }

        if (InCi)
        {
            Assert.Fail($"browser tests must run under CI=true: {_unavailable}");
        }

        Assert.Skip(_unavailable ?? "no browser");
    }

    /// <summary>A fresh context (own cookies) with the given viewport.</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800)
    {
        Require();
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(120_000);
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("RDLIC_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured))
        {
            return configured;
        }

        if (File.Exists("/usr/bin/chromium"))
        {
            return "/usr/bin/chromium";
        }

        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "chromium");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
