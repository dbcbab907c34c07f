using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>Saves the screenshots that README shows, to docs/screenshots/.</summary>
public static class Screenshots
{
    public static async Task SaveAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot.Path, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        // Animations (the pulsing dot) are stopped so that the pictures do not change from run to run.
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
    }
}
