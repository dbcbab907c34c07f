using Microsoft.Playwright;

namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>
/// Takes the screenshots that README shows. Every run writes them next to the test assembly
/// (screenshots/); with UPDATE_SCREENSHOTS=true they also replace the committed ones in
/// docs/screenshots/, so an ordinary test run leaves the working tree clean.
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "UPDATE_SCREENSHOTS";

    public static async Task SaveAsync(IPage page, string name)
    {
        // Animations (the pulsing dot) are stopped so that the pictures do not change from run to run.
        var image = await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });

        foreach (var folder in Folders())
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".png"), image);
        }
    }

    private static IEnumerable<string> Folders()
    {
        yield return Path.Combine(AppContext.BaseDirectory, "screenshots");
        if (string.Equals(Environment.GetEnvironmentVariable(UpdateVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            yield return Path.Combine(RepositoryRoot.Path, "docs", "screenshots");
        }
    }
}
