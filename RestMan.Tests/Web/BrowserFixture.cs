using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Web;

/// <summary>One Playwright driver and one chromium for a test class; each person in a test gets a context of their own.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
