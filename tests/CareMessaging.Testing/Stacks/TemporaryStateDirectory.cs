namespace CareMessaging.Testing;

/// <summary>A state folder of its own for one test run, removed afterwards.</summary>
public sealed class TemporaryStateDirectory : IDisposable
{
    public TemporaryStateDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caremessaging-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            var postgres = System.IO.Path.Combine(Path, "postgres");
            // When the data had to live outside (see postgres.sh), remove the target of the link too.
            if (new DirectoryInfo(postgres).LinkTarget is { } target)
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down can hold a file for a moment; the folder is under /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
