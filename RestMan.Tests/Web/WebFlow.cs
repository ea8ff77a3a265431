using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Web;

/// <summary>What people do in the browser, through the gateway, the way they would: sign in with the mailed code, click.</summary>
public static partial class WebFlow
{
    /// <summary>A fresh browser context (its own cookies) with a page on the gateway, tablet-sized.</summary>
    public static Task<IPage> OpenAsync(this BrowserFixture browser, ApplicationFixture fixture) => browser.OpenAsync(fixture.App.GatewayUrl);

    /// <summary>A fresh browser context (its own cookies) with a page on <paramref name="site"/> (the gateway, or one web replica's own address), tablet-sized.</summary>
    public static async Task<IPage> OpenAsync(this BrowserFixture browser, Uri site)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs in on <c>/sign-in</c>: email, role, the code shown from the Development mailbox, then lands where the app
    /// sends this role (or <paramref name="returnUrl"/>).
    /// </summary>
    public static async Task SignInAsync(this IPage page, string email, string role = "user", string? returnUrl = null)
    {
        await page.GotoAsync(returnUrl is null ? "/sign-in" : $"/sign-in?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.Locator("[data-test=email]").FillAsync(email);
        await page.Locator($"input[type=radio][value={role}]").CheckAsync();
        await page.Locator("[data-test=send-code]").ClickAsync();
        var mail = await page.Locator("[data-test=dev-mailbox] pre").InnerTextAsync();
        var code = SixDigits().Match(mail);
        code.Success.ShouldBeTrue($"no code on the sign-in page: {mail}");
        await page.Locator("[data-test=code]").FillAsync(code.Value);
        await page.Locator("[data-test=verify]").ClickAsync();
        await page.Locator("[data-test=signed-in-as]").WaitForAsync();
    }

    /// <summary>Signs a cook in (the app sends kitchen staff to their display) and waits until the display listens for live changes.</summary>
    public static async Task SignInToKitchenDisplayAsync(this IPage page, string cookEmail)
    {
        await page.SignInAsync(cookEmail);
        await page.Locator("[data-test=kitchen-display][data-live=on]").WaitForAsync();
    }

    /// <summary>Marks the page's JavaScript world: if the page reloads, the mark is gone.</summary>
    public static Task MarkAsync(this IPage page) => page.EvaluateAsync("() => { window.__restmanMark = 'still here'; }");

    public static async Task ShouldNotHaveReloadedAsync(this IPage page) =>
        (await page.EvaluateAsync<string?>("() => window.__restmanMark ?? null")).ShouldBe("still here", "the page was reloaded");

    /// <summary>
    /// A screenshot of the screen; with <c>RESTMAN_UPDATE_SCREENSHOTS=1</c> it replaces the README's under docs/web/,
    /// otherwise it goes to the temp folder, so a test run leaves the checkout as it was.
    /// </summary>
    public static Task ScreenshotForReadmeAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Environment.GetEnvironmentVariable("RESTMAN_UPDATE_SCREENSHOTS") == "1"
                ? Path.Combine(Aspire.Hosting.LocalInfrastructure.RepositoryRoot, "docs", "web", name + ".png")
                : Path.Combine(Path.GetTempPath(), "restman-screens", name + ".png"),
        });

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
