namespace CareMessaging.BrowserTests.Infrastructure;

/// <summary>The repository's root folder, found from the test assembly's location.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CareMessaging.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CareMessaging.sln was not found above the test assembly.");
    }
}
